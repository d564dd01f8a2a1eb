package io.jenkins.plugins.berth.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.terraform.StateScope.SharedAccess;
import org.junit.jupiter.api.Test;

/** What a scope names: one project, one environment, and how far the shared stacks are open. */
class StateScopeTest {

    @Test
    void onlyAProjectAndAnEnvironmentNameMakeAScope() {
        assertThatThrownBy(() -> new StateScope("shop/app", "shop-main", SharedAccess.READ))
                .hasMessage("not a project name: 'shop/app'");
        assertThatThrownBy(() -> new StateScope("../etc", "shop-main", SharedAccess.READ))
                .isInstanceOf(IllegalArgumentException.class);
        // "_shared" is the shared stacks' segment, never an environment; nor is a key's worth of segments.
        for (String environment : new String[] {"_shared", "shop-main/x", "Shop-Main", "", "-x"}) {
            assertThatThrownBy(() -> new StateScope("shop", environment, SharedAccess.WRITE)).as(environment)
                    .hasMessage("not an environment name: '" + environment + "'");
        }
        assertThatThrownBy(() -> new StateScope("shop", "shop-main", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void itReadsBackWhatItWrites() {
        StateScope scope = new StateScope("shop", "shop-pr-4", SharedAccess.READ);
        assertThat(scope).hasToString("shop shop-pr-4 READ");
        assertThat(StateScope.parse(scope.toString())).isEqualTo(scope);
        assertThatThrownBy(() -> StateScope.parse("shop shop-pr-4")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StateScope.parse("shop shop-pr-4 ALL")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void itAllowsItsOwnKeysAndTheSharedOnesAsGranted() {
        StateScope reader = new StateScope("shop", "shop-pr-4", SharedAccess.READ);
        StateScope writer = new StateScope("shop", "shop-pr-4", SharedAccess.WRITE);
        for (String method : new String[] {"GET", "POST", "DELETE", "LOCK", "UNLOCK"}) {
            assertThat(reader.allows(method, "shop/app/shop-pr-4")).as(method).isTrue();
            assertThat(reader.allows(method, "shop/db/_shared")).as(method).isEqualTo(method.equals("GET"));
            assertThat(writer.allows(method, "shop/db/_shared")).as(method).isTrue();
            assertThat(writer.allows(method, "shop/app/shop-main")).as(method).isFalse();
            assertThat(writer.allows(method, "shop/app/shop-pr-40")).as(method).isFalse();
            assertThat(writer.allows(method, "blog/app/shop-pr-4")).as(method).isFalse();
            assertThat(writer.allows(method, "blog/db/_shared")).as(method).isFalse();
            assertThat(writer.allows(method, "shop/shop-pr-4")).as(method).isFalse();
            assertThat(writer.allows(method, "shop/app/x/shop-pr-4")).as(method).isFalse();
            assertThat(writer.allows(method, "shop//shop-pr-4")).as(method).isFalse();
        }
        assertThat(writer.allows("PUT", "shop/app/shop-pr-4")).isFalse();
        assertThat(writer.allows("get", "shop/app/shop-pr-4")).isFalse();
    }
}
