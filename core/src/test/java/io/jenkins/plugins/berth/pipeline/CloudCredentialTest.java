package io.jenkins.plugins.berth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.pipeline.CloudCredential.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudCredentialTest {

    @Test
    void eachLineIsOneBindingAndCommentsAndBlankLinesAreSkipped() {
        List<CloudCredential> credentials = CloudCredential.parseAll("""
                # the shop team's accounts
                aws shop-aws-deployer

                  file GOOGLE_APPLICATION_CREDENTIALS=shop-gcp-key
                string ARM_CLIENT_SECRET=shop-azure-secret
                """);
        assertThat(credentials).containsExactly(
                new CloudCredential(Kind.AWS, "shop-aws-deployer", ""),
                new CloudCredential(Kind.FILE, "shop-gcp-key", "GOOGLE_APPLICATION_CREDENTIALS"),
                new CloudCredential(Kind.STRING, "shop-azure-secret", "ARM_CLIENT_SECRET"));
        assertThat(credentials).extracting(CloudCredential::line).containsExactly("aws shop-aws-deployer",
                "file GOOGLE_APPLICATION_CREDENTIALS=shop-gcp-key", "string ARM_CLIENT_SECRET=shop-azure-secret");
        assertThat(CloudCredential.parseAll(String.join("\n", credentials.stream().map(CloudCredential::line)
                .toList()))).isEqualTo(credentials);
    }

    @Test
    void nothingWrittenIsNoBinding() {
        assertThat(CloudCredential.parseAll(null)).isEmpty();
        assertThat(CloudCredential.parseAll("  \n# none yet\n")).isEmpty();
    }

    @Test
    void aMistakeNamesItsLineAndColumnAndWhatToWrite() {
        assertThatThrownBy(() -> CloudCredential.parseAll("aws ok\n  azure shop"))
                .hasMessage("cloud credentials, line 2, column 3: 'azure' is no kind of credential binding;"
                        + " start the line with aws, file or string");
        assertThatThrownBy(() -> CloudCredential.parseAll("file shop-gcp-key"))
                .hasMessage("cloud credentials, line 1, column 6: write file <VARIABLE>=<credentials id>, the"
                        + " variable a shell name such as GOOGLE_APPLICATION_CREDENTIALS");
        assertThatThrownBy(() -> CloudCredential.parseAll("string TOKEN="))
                .hasMessage("cloud credentials, line 1, column 14: name the credentials id after '='");
        assertThatThrownBy(() -> CloudCredential.parseAll("string $(rm -rf /)=x"))
                .hasMessageStartingWith("cloud credentials, line 1, column 1: write one binding per line");
        assertThatThrownBy(() -> CloudCredential.parseAll("string A-B=x"))
                .hasMessageStartingWith("cloud credentials, line 1, column 8: write string <VARIABLE>=");
        assertThatThrownBy(() -> CloudCredential.parseAll("aws key=value"))
                .hasMessage("cloud credentials, line 1, column 5: write the credentials id alone: aws <credentials id>");
    }
}
