package io.ovserve.openvino;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of tests that need a real OpenVINO core and the affine test model (y = 2x + 1) compiled for CPU. */
public abstract class AffineOnCpu {

    protected static Core core;
    protected static CompiledModel affine;

    @BeforeAll
    static void compileAffine() {
        core = new Core();
        affine = TestModels.compile(core, "affine", 1);
    }

    @AfterAll
    static void release() {
        affine.close();
        core.close();
    }
}
