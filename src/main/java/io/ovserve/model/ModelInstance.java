package io.ovserve.model;

import io.ovserve.image.ImageDecoding;
import io.ovserve.inference.Admission;
import io.ovserve.inference.Cancellation;
import io.ovserve.inference.InferRequestPool;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.InputValidator;
import io.ovserve.inference.OutputTensor;
import io.ovserve.inference.Outputs;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.Shapes;
import io.ovserve.openvino.CompiledModel;
import io.ovserve.openvino.Core;
import io.ovserve.openvino.InferRequest;
import io.ovserve.openvino.Model;
import io.ovserve.openvino.PortInfo;
import io.ovserve.os.NicedThread;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One loaded version of a model: compiled once for the device, with one pool of infer requests
 * that serves tensor and binary-image inputs alike.
 */
public final class ModelInstance implements AutoCloseable {

    /** What a loaded version tells of its inferences (besides its pool's waits), on the inference threads. */
    public interface Observer extends InferRequestPool.Observer {

        Observer NONE = new Observer() {
        };

        /** OpenVINO ran one inference in this long (setting inputs and reading outputs not included). */
        default void inferred(long nanos) {
        }
    }

    private static final Logger LOG = Logger.getLogger(ModelInstance.class);

    /** The name OpenVINO's stream threads inherit from the thread that compiles (15 characters: Linux keeps no more). */
    static final String STREAMS_THREAD = "ovserve-streams";

    private final String name;
    private final long version;
    private final int streams;
    private final CompiledModel compiled;
    private final List<PortInfo> inputs;
    private final List<PortInfo> outputs;
    private final InferRequestPool pool;
    private final Admission admission;
    private final long staticInputBytes;
    private final Optional<ImageInput> imageInput;
    private final ImageDecoding decoding;
    private final VersionLeases leases = new VersionLeases();
    private volatile Observer observer = Observer.NONE; // until the metrics observe this version

    private ModelInstance(String name, long version, CompiledModel compiled, List<PortInfo> inputs,
            List<PortInfo> outputs, InferRequestPool pool, Admission admission, ImageDecoding decoding) {
        this.name = name;
        this.version = version;
        this.streams = streamsOf(compiled, pool.size());
        this.compiled = compiled;
        this.inputs = inputs;
        this.outputs = outputs;
        this.pool = pool;
        this.admission = admission;
        this.staticInputBytes = staticInputBytes(inputs);
        this.imageInput = ImageInput.of(inputs);
        this.decoding = decoding;
    }

    /**
     * Compiles the version and creates its infer requests; on any failure frees what it made. The
     * compilation runs on a thread of its own, {@code streamsNice} below the caller's priority:
     * OpenVINO creates its CPU streams' threads then, and they inherit it.
     */
    static ModelInstance load(Core core, ModelConfig config, ModelVersions.ModelVersion version, QueueLimits limits,
            ImageDecoding decoding, int streamsNice) {
        CompiledModel compiled;
        try (Model model = core.readModel(version.modelFile())) {
            compiled = NicedThread.call(STREAMS_THREAD, streamsNice,
                    () -> core.compile(model, config.targetDevice(), config.pluginConfig()));
        }
        try {
            List<PortInfo> inputs = compiled.inputs();
            List<PortInfo> outputs = compiled.outputs();
            int nireq = config.nireq().filter(n -> n > 0) // 0 means "optimal", as in OVMS
                    .orElseGet(() -> Integer.parseInt(compiled.property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")));
            InferRequestPool pool = new InferRequestPool(config.name(), compiled::createInferRequest, nireq);
            Admission admission = new Admission(config.name(), nireq, limits.queueSize(), limits.queueBytes(),
                    limits.queueTime().toNanos());
            return new ModelInstance(config.name(), version.number(), compiled, inputs, outputs, pool, admission,
                    decoding);
        } catch (RuntimeException | Error e) {
            compiled.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public long version() {
        return version;
    }

    public List<PortInfo> inputs() {
        return inputs;
    }

    public List<PortInfo> outputs() {
        return outputs;
    }

    public int nireq() {
        return pool.size();
    }

    /** Bytes the requests admitted to this version may hold together (queue-bytes). */
    public long queueBytes() {
        return admission.maxBytes();
    }

    /** The input binary images feed, if the model has one. */
    public Optional<String> imageInput() {
        return imageInput.map(ImageInput::name);
    }

    /** Requests this version holds at once: by count, and by its byte budget if its inputs have static shapes. */
    public int callCapacity() {
        return admission.capacity(staticInputBytes);
    }

    /** What {@link #callCapacity()} is made of, for messages (see {@link Admission#describe}). */
    public String describeCapacity() {
        return admission.describe(staticInputBytes);
    }

    /** Bytes of one request's inputs, or 0 when a shape is dynamic (unknown before the request). */
    private static long staticInputBytes(List<PortInfo> inputs) {
        long bytes = 0;
        for (PortInfo port : inputs) {
            if (!port.isStatic()) {
                return 0;
            }
            bytes += Shapes.bytes(port.name(), port.shape(), port.type());
        }
        return bytes;
    }

    /** OpenVINO's execution streams for this version (NUM_STREAMS of the compiled model). */
    public int streams() {
        return streams;
    }

    /** Infer requests busy with a request now: setting its inputs, inferring or reading its outputs. */
    public int activeInferRequests() {
        return pool.active();
    }

    /** Predict requests taken and not yet answered: decoding, waiting for an infer request, or running. */
    public int requestsInProgress() {
        return admission.inFlight();
    }

    /** Bytes the requests in progress hold: their inputs, and their images once decoded. */
    public long bytesInProgress() {
        return admission.bytesHeld();
    }

    /** Sets who hears of each inference's wait and run times from now on (the metrics, once per version). */
    public void observe(Observer observer) {
        this.observer = observer;
        pool.observe(observer);
    }

    /** False once an infer request died and could not be replaced: only a restart brings it back. */
    public boolean healthy() {
        return pool.lostWorkers() == 0;
    }

    /** A lease for one call ({@link VersionLeases}), unless this version is retiring. */
    boolean tryLease() {
        return leases.tryAcquire();
    }

    /** Takes no call from now on; {@link #drained()} completes once the calls that hold a lease have ended. */
    void retire() {
        leases.retire();
    }

    CompletableFuture<Void> drained() {
        return leases.drained();
    }

    /** Calls that hold this version now, from their resolution to their end. */
    public int leasesHeld() {
        return leases.held();
    }

    /**
     * Admits the request, decodes binary images off the event loop, then infers on a free infer request.
     * The caller holds a lease ({@link #tryLease()}): the call returns it when it ends, however it ends.
     * Cancelling the result frees the admission at once and drops the inference if it has not started.
     */
    CompletableFuture<InferenceResponse> infer(InferenceRequest request) {
        Admission.Ticket ticket;
        CompletableFuture<Consumer<InferRequest>> ready;
        try {
            Outputs.validateFilter(name, request.outputFilter(), outputs);
            ticket = admission.admit(bytesOf(request.inputs()));
        } catch (RuntimeException e) {
            leases.release();
            return CompletableFuture.failedFuture(e);
        }
        try {
            ready = inputWriter(request.inputs(), request.deadline(), ticket);
        } catch (RuntimeException e) {
            ticket.close();
            leases.release();
            return CompletableFuture.failedFuture(e);
        }
        Set<String> filter = request.outputFilter();
        OptionalLong deadline = request.deadline();
        CompletableFuture<Map<String, OutputTensor>> outputs = Cancellation.compose(ready,
                writer -> pool.submit(inferRequest -> run(inferRequest, writer, filter), deadline));
        return Cancellation.reaching(outputs.whenComplete((result, error) -> {
            ticket.close();
            leases.release();
        }).thenApply(result -> new InferenceResponse(name, version, result)), outputs);
    }

    /** What fills an infer request's inputs: once the images are decoded, off the event loop, for binary inputs. */
    private CompletableFuture<Consumer<InferRequest>> inputWriter(Map<String, InputTensor> given,
            OptionalLong deadline, Admission.Ticket ticket) {
        if (given.size() == 1 && given.values().iterator().next() instanceof InputTensor.EncodedImages images) {
            String input = given.keySet().iterator().next();
            ImageInput image = imageInput.filter(candidate -> candidate.name().equals(input))
                    .orElseThrow(() -> notAnImageInput(input));
            image.checkBatch(images.images().size());
            return decoding.decode(images.images(), image.width(), image.height(), deadline, decoded -> {
                ticket.grow(decoded.stream().mapToLong(pixels -> pixels.bgr().length).sum());
                return image.writer(decoded);
            });
        }
        InputValidator.validate(name, given, inputs);
        return CompletableFuture.completedFuture(request -> {
            for (PortInfo port : inputs) {
                InputTensor.Raw raw = (InputTensor.Raw) given.get(port.name()); // InputValidator checked it is
                request.setInput(port.name(), raw.shape(), raw.data());
            }
        });
    }

    private Map<String, OutputTensor> run(InferRequest request, Consumer<InferRequest> writer, Set<String> filter) {
        writer.accept(request);
        long start = System.nanoTime();
        request.infer();
        long took = System.nanoTime() - start;
        observer.inferred(took);
        admission.inferred(took);
        return Outputs.read(request, outputs, filter);
    }

    /** As OVMS: NUM_STREAMS, or the number of infer requests where the device does not tell. */
    private static int streamsOf(CompiledModel compiled, int nireq) {
        try {
            return Integer.parseInt(compiled.property("NUM_STREAMS").trim());
        } catch (RuntimeException e) {
            LOG.debugf("NUM_STREAMS unknown (%s): reporting %d streams, the number of infer requests", e, nireq);
            return nireq;
        }
    }

    private static long bytesOf(Map<String, InputTensor> given) {
        long bytes = 0;
        for (InputTensor input : given.values()) {
            if (input instanceof InputTensor.Raw raw) {
                bytes += raw.data().remaining();
            } else if (input instanceof InputTensor.EncodedImages images) {
                bytes += images.images().stream().mapToLong(ByteBuffer::remaining).sum();
            }
        }
        return bytes;
    }

    private ServingException notAnImageInput(String input) {
        return InputValidator.notAnImageInput(name, input, inputs);
    }

    /** One inference on zeros (dynamic dimensions at their lower bound, at least 1), so the first request is not the slow one. */
    void warmUp() {
        pool.submit(request -> {
            for (PortInfo port : inputs) {
                long[] shape = Arrays.stream(port.lower()).map(dim -> Math.max(dim, 1)).toArray();
                request.setInput(port.name(), shape,
                        ByteBuffer.allocate(Math.toIntExact(Shapes.bytes(port.name(), shape, port.type()))));
            }
            request.infer();
            return null;
        }).join();
    }

    /** Fails what waits, lets running inferences finish, then frees the compiled model. */
    @Override
    public void close() {
        if (pool.closeAndWait()) {
            compiled.close();
        } else {
            LOG.errorf("model %s version %d: an inference is still running; its compiled model is left to the process exit",
                    name, version);
        }
    }
}
