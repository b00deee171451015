package dev.parley.desktop.doctor;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the doctor's --user gets its password: never only from a command line others can read. */
class DoctorPasswordTest {
    @Test
    void theEnvironmentServesWhenNoPasswordIsGivenOnTheCommandLine() {
        assertEquals("from env", Doctor.password("alice", null, Map.of("PARLEY_PASSWORD", "from env"), null));
    }

    @Test
    void anExplicitPasswordStillWins() {
        assertEquals("given", Doctor.password("alice", "given", Map.of("PARLEY_PASSWORD", "from env"), null));
    }

    @Test
    void withoutEnvironmentOrTerminalTheRunIsRefusedWithAdvice() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Doctor.password("alice", null, Map.of("PARLEY_PASSWORD", ""), null));
        assertTrue(refused.getMessage().contains("PARLEY_PASSWORD"), refused.getMessage());
        assertTrue(refused.getMessage().contains("alice"), refused.getMessage());
    }
}
