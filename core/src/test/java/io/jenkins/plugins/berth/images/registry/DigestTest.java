package io.jenkins.plugins.berth.images.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {

    @Test
    void theDigestOfContentIsItsSha256AndPinsAReference() {
        Digest digest = Digest.of("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(digest.value())
                .isEqualTo("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(ImageReference.pinned("127.0.0.1:5000", "shop/web", digest.value()))
                .hasToString("127.0.0.1:5000/shop/web@" + digest);
        assertThat(ImageReference.parse("127.0.0.1:5000/shop/web@" + digest).digest()).contains(digest.value());
    }

    @Test
    void onlyTheSha256FormIsADigest() {
        assertThat(Digest.isDigest("latest")).isFalse();
        assertThat(Digest.isDigest("sha256:abc")).isFalse();
        assertThat(Digest.isDigest("sha256:" + "A".repeat(64))).isFalse();
        assertThatThrownBy(() -> new Digest("sha256:abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageReference.pinned("h", "r", "latest")).isInstanceOf(IllegalArgumentException.class);
    }
}
