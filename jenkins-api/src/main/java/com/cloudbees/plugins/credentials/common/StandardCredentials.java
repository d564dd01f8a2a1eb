package com.cloudbees.plugins.credentials.common;

/** Subset of credentials {@code StandardCredentials} (1499.va_f0e811253a_6): the type only. */
public interface StandardCredentials extends IdCredentials {
}
