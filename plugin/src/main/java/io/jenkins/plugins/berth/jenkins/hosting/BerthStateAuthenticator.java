package io.jenkins.plugins.berth.jenkins.hosting;

import hudson.Extension;
import io.jenkins.plugins.berth.terraform.StateEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jenkins.model.Jenkins;
import jenkins.security.BasicHeaderAuthenticator;
import org.springframework.security.core.Authentication;

/**
 * Jenkins refuses any request whose Basic header names no Jenkins user. Terraform's requests to
 * {@link BerthStateAction} carry user {@value StateEndpoint#USER} and a build's token: this lets them
 * through as anonymous, for the state endpoint only, when the token belongs to a running build. The
 * endpoint then checks the token against the state asked for; the token gives no other right in Jenkins.
 */
@Extension
public final class BerthStateAuthenticator extends BasicHeaderAuthenticator {

    @Override
    public Authentication authenticate2(HttpServletRequest request, HttpServletResponse response, String username,
            String password) {
        boolean forStates = BerthStateAction.stateKey(request).isPresent();
        if (!forStates || !StateEndpoint.USER.equals(username)
                || BerthStates.get().tokens().grant(password).isEmpty()) {
            return null;
        }
        // Nothing more than an unauthenticated visitor may do.
        return Jenkins.ANONYMOUS2;
    }
}
