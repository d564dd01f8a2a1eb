package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.MotoServer;
import io.jenkins.plugins.berth.model.Registry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * ECR logins from {@code GetAuthorizationToken} against moto's ECR: the credentials and endpoint the token carries,
 * kept until shortly before they expire (the requests counted as the SDK sends them), and the repository check.
 * moto's tokens expire on 2015-01-01, so the tests that keep one run on a clock set before that.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EcrLoginsTest {
    static final String ACCOUNT = "123456789012";
    static final Registry.Ecr REGISTRY = new Registry.Ecr(ACCOUNT, "us-east-1", "shop");
    /** What moto's token carries: {@code AWS:<account>-auth-token}. */
    static final String PASSWORD = ACCOUNT + "-auth-token";
    private static final Instant MOTO_EXPIRY = Instant.parse("2015-01-01T00:00:00Z");

    @TempDir
    Path folder;

    private MotoServer moto;
    private EcrClient ecr;
    private final List<String> operations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        moto = MotoServer.start(folder.resolve("moto.log"));
        ecr = client(moto, operations);
    }

    /** An ECR client on moto that notes the name of every operation it sends. */
    static EcrClient client(MotoServer moto, List<String> operations) {
        ExecutionInterceptor counting = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        };
        return EcrClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(counting))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterEach
    void stop() throws Exception {
        ecr.close();
        moto.close();
    }

    private EcrLogins logins(Instant now) {
        return new EcrLogins(region -> ecr, Clock.fixed(now, ZoneOffset.UTC));
    }

    private long tokenRequests() {
        return operations.stream().filter("GetAuthorizationToken"::equals).count();
    }

    @Test
    void theLoginIsWhatTheTokenCarriesAndItsEndpointIsTheTokensProxyEndpoint() throws Exception {
        EcrLogin login = logins(Instant.parse("2014-12-01T00:00:00Z")).login(REGISTRY);
        assertThat(login.credentials().username()).isEqualTo("AWS");
        assertThat(login.credentials().password()).isEqualTo(PASSWORD);
        assertThat(login.endpoint()).isEqualTo(ACCOUNT + ".dkr.ecr.us-east-1.amazonaws.com").isEqualTo(REGISTRY.host());
        assertThat(login.expiresAt()).isEqualTo(MOTO_EXPIRY);
        assertThat(login.toString()).doesNotContain(PASSWORD)
                .doesNotContain(Base64.getEncoder().encodeToString(("AWS:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aLoginIsKeptUntilShortlyBeforeItExpiresThenFetchedAgain() throws Exception {
        EcrLogins early = logins(Instant.parse("2014-12-31T00:00:00Z"));
        EcrLogin first = early.login(REGISTRY);
        assertThat(early.login(REGISTRY)).isSameAs(first);
        assertThat(early.login(REGISTRY)).isSameAs(first);
        assertThat(tokenRequests()).isEqualTo(1);

        // Within RENEW_BEFORE of the expiry: every login is a new token, none kept.
        EcrLogins late = logins(MOTO_EXPIRY.minus(EcrLogins.RENEW_BEFORE).plusSeconds(1));
        late.login(REGISTRY);
        late.login(REGISTRY);
        assertThat(tokenRequests()).isEqualTo(3);

        // Today (moto's tokens expired in 2015): never kept.
        EcrLogins now = new EcrLogins(region -> ecr, Clock.systemUTC());
        now.login(REGISTRY);
        now.login(REGISTRY);
        assertThat(tokenRequests()).isEqualTo(5);
    }

    @Test
    void eachAccountAndRegionHasItsOwnLogin() throws Exception {
        EcrLogins logins = logins(Instant.parse("2014-12-01T00:00:00Z"));
        EcrLogin other = logins.login(new Registry.Ecr("210987654321", "us-east-1", "shop"));
        assertThat(other.credentials().password()).isEqualTo("210987654321-auth-token");
        assertThat(other.endpoint()).isEqualTo("210987654321.dkr.ecr.us-east-1.amazonaws.com");
        assertThat(logins.login(REGISTRY).credentials().password()).isEqualTo(PASSWORD);
        assertThat(tokenRequests()).isEqualTo(2);
    }

    @Test
    void aRepositoryThatDoesNotExistIsRefusedWithHowToCreateIt() throws Exception {
        EcrLogins logins = logins(Instant.parse("2014-12-01T00:00:00Z"));
        assertThatThrownBy(() -> logins.requireRepository(REGISTRY, "shop/web"))
                .isInstanceOf(BerthException.class)
                .hasMessage("the ECR repository shop/web does not exist in account " + ACCOUNT + ", region us-east-1;"
                        + " ECR does not create repositories on push: create it first (aws ecr create-repository"
                        + " --repository-name shop/web --region us-east-1, or a Terraform aws_ecr_repository in a"
                        + " shared stack applied before)");
        ecr.createRepository(r -> r.repositoryName("shop/web"));
        logins.requireRepository(REGISTRY, "shop/web");
    }

    @Test
    void anUnreachableEcrIsAClearError() {
        EcrLogins unreachable = new EcrLogins(region -> EcrClient.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:1"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build(), Clock.systemUTC());
        assertThatThrownBy(() -> unreachable.login(REGISTRY)).isInstanceOf(BerthException.class)
                .hasMessageStartingWith("cannot get an ECR authorization token for " + REGISTRY.host() + ": ");
    }

    @Test
    void aTokenThatIsNotBase64UserColonPasswordIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> EcrLogins.decode("not base64 !", REGISTRY))
                .hasMessage("ECR sent an authorization token for " + REGISTRY.host() + " that is not base64");
        String noColon = Base64.getEncoder().encodeToString("AWSsecret-value".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> EcrLogins.decode(noColon, REGISTRY))
                .hasMessage("ECR sent an authorization token for " + REGISTRY.host() + " that is not user:password");
    }

    @Test
    void aProxyEndpointThatIsNotHttpsIsRefused() throws Exception {
        assertThat(EcrLogins.endpoint("https://" + REGISTRY.host(), REGISTRY)).isEqualTo(REGISTRY.host());
        assertThat(EcrLogins.endpoint("https://registry.example.com:8443/", REGISTRY))
                .isEqualTo("registry.example.com:8443");
        assertThatThrownBy(() -> EcrLogins.endpoint("http://" + REGISTRY.host(), REGISTRY))
                .hasMessageEndingWith("which is not https://host[:port]; Berth sends the registry token over HTTPS only");
    }

    @Test
    void ecrHostsAreKnownByTheirShapeInEveryPartition() {
        assertThat(Registry.Ecr.atHost(REGISTRY.host())).contains(new Registry.Ecr(ACCOUNT, "us-east-1", ""));
        Registry.Ecr china = new Registry.Ecr(ACCOUNT, "cn-north-1", "shop");
        assertThat(china.host()).isEqualTo(ACCOUNT + ".dkr.ecr.cn-north-1.amazonaws.com.cn");
        assertThat(Registry.Ecr.atHost(china.host())).contains(new Registry.Ecr(ACCOUNT, "cn-north-1", ""));
        assertThat(Registry.Ecr.atHost(ACCOUNT + ".dkr.ecr.cn-north-1.amazonaws.com")).isEmpty();
        assertThat(Registry.Ecr.atHost("127.0.0.1:5000")).isEmpty();
        assertThat(Registry.Ecr.atHost("12345.dkr.ecr.us-east-1.amazonaws.com")).isEmpty();
    }
}
