package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    @Test
    void aFullBudgetAllowsABurstOfRetriesThenNoMore() {
        RetryBudget budget = new RetryBudget(0.1, 3);
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isFalse();
    }

    @Test
    void retriesStayWithinTheRatioOfCallsWhenEveryCallWantsOne() {
        RetryBudget budget = new RetryBudget(0.1, 10);
        int retries = 0;
        for (int call = 0; call < 10_000; call++) {
            budget.onCall();
            if (budget.tryRetry()) {
                retries++;
            }
        }
        assertThat(retries).isEqualTo(1000 + 10 - 1);
    }

    @Test
    void tokensEarnedByCallsAreCappedAtTheBurst() {
        RetryBudget budget = new RetryBudget(0.5, 2);
        for (int call = 0; call < 100; call++) {
            budget.onCall();
        }
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isTrue();
        assertThat(budget.tryRetry()).isFalse();
    }

    @Test
    void aZeroBudgetNeverRetries() {
        RetryBudget budget = new RetryBudget(0, 0);
        budget.onCall();
        assertThat(budget.tryRetry()).isFalse();
    }
}
