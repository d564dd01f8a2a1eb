package io.jenkins.plugins.berth.images.registry;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JVM's default TLS set-up, made when a connection first needs it. A registry on the loopback interface speaks
 * plain HTTP, and Java's HTTP client makes its TLS context (the trust store read and parsed, half a second of a
 * command line's start) when it is built: a promotion on 127.0.0.1 would pay for TLS it never uses. A redirect or a
 * token service on HTTPS still gets the default context, and so the default trust, at that moment.
 */
final class LazyTls extends SSLContext {

    LazyTls() {
        super(new Spi(), null, "Default");
    }

    /** Parameters that change nothing: given to the client so that building it asks the context for none. */
    static SSLParameters parameters() {
        return new SSLParameters();
    }

    private static final class Spi extends SSLContextSpi {
        private volatile SSLContext delegate;

        private SSLContext delegate() {
            SSLContext known = delegate;
            if (known == null) {
                try {
                    known = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("this Java has no default TLS context", e);
                }
                delegate = known;
            }
            return known;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("the default TLS context is initialised by the JVM");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return delegate().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate().getSupportedSSLParameters();
        }
    }
}
