package io.jenkins.plugins.berth.jenkins.hosting;

import hudson.Extension;
import hudson.security.csrf.CrumbExclusion;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Lets Terraform's POSTs (save a state, lock, unlock) reach {@link BerthStateAction} without a CSRF crumb,
 * which Terraform cannot fetch. Safe because the endpoint never acts on a browser's session: every request
 * carries its build's token as the Basic password, and {@code StateEndpoint} checks it before anything else.
 */
@Extension
public final class BerthStateCrumbExclusion extends CrumbExclusion {

    @Override
    public boolean process(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getPathInfo();
        if (path != null && path.startsWith("/" + BerthStateAction.URL_NAME + "/")) {
            chain.doFilter(request, response);
            return true;
        }
        return false;
    }
}
