package com.cloudbees.plugins.credentials;

import java.io.Serializable;

/** Subset of credentials {@code com.cloudbees.plugins.credentials.Credentials} (1499.va_f0e811253a_6): the type only. */
public interface Credentials extends Serializable {
}
