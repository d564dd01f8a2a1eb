package io.jenkins.plugins.berth.jenkins.hosting;

import hudson.Extension;
import hudson.model.UnprotectedRootAction;
import io.jenkins.plugins.berth.terraform.StateEndpoint;
import io.jenkins.plugins.berth.terraform.StateProtocol;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Terraform's HTTP state backend, served by Jenkins at {@code /berth-state/<project>/<stack>/<environment>}.
 * Jenkins' own login does not apply (Terraform cannot log in); each request carries its build's token
 * as the Basic password, and {@link StateEndpoint} lets a token touch only the states of its
 * {@link io.jenkins.plugins.berth.terraform.StateScope} (its environment's own, the shared stacks' as granted).
 * {@link BerthStateAuthenticator} lets such requests through Jenkins' Basic header check. The body is
 * read only after the token is checked, within one {@link io.jenkins.plugins.berth.terraform.StateBodies}
 * bound that {@link BerthStates} keeps for all requests.
 */
@Extension
public final class BerthStateAction implements UnprotectedRootAction {

    public static final String URL_NAME = "berth-state";

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return null;
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    /** Every method and path below {@code /berth-state/}: the state protocol. */
    public void doDynamic(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> key = stateKey(request);
        StateProtocol.Response answer = key.isEmpty()
                ? StateProtocol.Response.of(404, "states live under /" + URL_NAME + "/<project>/<stack>/<environment>")
                : BerthStates.get().endpoint().handle(new StateEndpoint.Request(request.getMethod(), key.get(),
                        Optional.ofNullable(request.getQueryString()),
                        Optional.ofNullable(request.getHeader("Authorization")), contentLength(request),
                        // Opened only once the request is authorized: asked for its stream, Jetty tells a client
                        // that waits with "Expect: 100-continue" to send the body.
                        request::getInputStream));
        answer.headers().forEach(response::setHeader);
        response.setStatus(answer.status());
        response.setContentType(answer.contentType());
        if (answer.body().length > 0) {
            try (OutputStream out = response.getOutputStream()) {
                out.write(answer.body());
            }
        }
    }

    /** The declared length; empty when chunked or not given (the servlet API's -1). */
    private static OptionalLong contentLength(HttpServletRequest request) {
        long declared = request.getContentLengthLong();
        return declared < 0 ? OptionalLong.empty() : OptionalLong.of(declared);
    }

    /** The raw path after {@code /berth-state/}. */
    static Optional<String> stateKey(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String prefix = "/" + URL_NAME + "/";
        return path.startsWith(prefix) && path.length() > prefix.length()
                ? Optional.of(path.substring(prefix.length())) : Optional.empty();
    }
}
