// The microphone: permission, an AudioContext at 16 kHz and the capture worklet, which hands back
// PCM16 frames of 40 ms and their loudness. Failures become a MicrophoneError with a `kind` the page
// turns into a clear message (denied, no device, busy, insecure page, unsupported browser).

const FRAME_MS = 40;
const INPUT_RATE = 16000;

export class MicrophoneError extends Error {
  constructor(kind, cause) {
    super(kind);
    this.kind = kind;
    this.cause = cause;
  }
}

function kindOf(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
    case "PermissionDeniedError":
      return "denied";
    case "NotFoundError":
    case "OverconstrainedError":
    case "DevicesNotFoundError":
      return "no_device";
    case "NotReadableError":
    case "AbortError":
    case "TrackStartError":
      return "busy";
    default:
      return "failed";
  }
}

// "denied" when the browser already knows the answer is no, so the page can say so before asking.
export async function microphonePermission() {
  try {
    const status = await navigator.permissions.query({ name: "microphone" });
    return status.state;
  } catch {
    return "unknown";
  }
}

async function captureGraph(stream, workletUrl, rate) {
  const context = rate ? new AudioContext({ sampleRate: rate }) : new AudioContext();
  try {
    await context.audioWorklet.addModule(workletUrl);
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, "capture-processor", {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: "explicit",
      processorOptions: { frameMs: FRAME_MS },
    });
    source.connect(node);
    await context.resume();
    return { context, source, node };
  } catch (error) {
    await context.close();
    throw error;
  }
}

export class Microphone {
  static async open({ workletUrl, processing, onFrame, onLevel, onEnded }) {
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new MicrophoneError("insecure");
    }
    if (typeof AudioWorkletNode === "undefined") throw new MicrophoneError("unsupported");
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, ...processing } });
    } catch (error) {
      throw new MicrophoneError(kindOf(error), error);
    }
    let graph;
    try {
      graph = await captureGraph(stream, workletUrl, INPUT_RATE);
    } catch {
      // Firefox will not connect a device to a context at another rate: run at the device's rate and
      // let the worklet resample.
      try {
        graph = await captureGraph(stream, workletUrl, null);
      } catch (error) {
        stream.getTracks().forEach((track) => track.stop());
        throw new MicrophoneError("unsupported", error);
      }
    }
    return new Microphone(stream, graph, onFrame, onLevel, onEnded);
  }

  constructor(stream, graph, onFrame, onLevel, onEnded) {
    this.stream = stream;
    this.graph = graph;
    this.muted = false;
    this.closing = false;
    this.track = stream.getAudioTracks()[0];
    // "ended" without close(): the device was unplugged or the permission withdrawn.
    this.track.addEventListener("ended", () => {
      onLevel(0);
      if (!this.closing) onEnded();
    });
    graph.node.port.onmessage = (event) => {
      const { pcm, rms } = event.data;
      onLevel(this.muted ? 0 : rms);
      if (!this.muted) onFrame(pcm);
    };
  }

  setMuted(muted) {
    this.muted = muted;
    this.track.enabled = !muted;
  }

  async close() {
    this.closing = true;
    this.stream.getTracks().forEach((track) => track.stop());
    this.graph.node.port.onmessage = null;
    await this.graph.context.close();
  }
}
