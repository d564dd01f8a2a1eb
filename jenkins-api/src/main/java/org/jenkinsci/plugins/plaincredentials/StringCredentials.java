package org.jenkinsci.plugins.plaincredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.util.Secret;

/** Subset of plain-credentials {@code StringCredentials} (199.v9f8e1f741799). */
public interface StringCredentials extends StandardCredentials {
    Secret getSecret();
}
