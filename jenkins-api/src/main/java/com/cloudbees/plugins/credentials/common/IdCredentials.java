package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

/** Subset of credentials {@code IdCredentials} (1499.va_f0e811253a_6): the type only. */
public interface IdCredentials extends Credentials {
}
