package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.registry.RegistryClient;

/** The client of a registry host, with the credentials the place that runs Berth has for it (ECR's from a token). */
@FunctionalInterface
public interface RegistryClients {

    RegistryClient of(String host) throws BerthException;
}
