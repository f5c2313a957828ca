// Pictures for the tutor: an uploaded file, or a snapshot of the camera or the screen. Each is drawn
// on a canvas at most 1024 px on its long side and sent as JPEG, small enough for the server's 700 KiB
// limit; the page sends at most one a second. Frames of a shared camera or screen (streaming.js) are
// drawn the same way, smaller.

const MAX_EDGE = 1024;
const MAX_BYTES = 700 * 1024;
const QUALITIES = [0.85, 0.7, 0.55, 0.4];
export const MIN_INTERVAL_MS = 1000;

function canvasFor(width, height, scale) {
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  return canvas;
}

function blobOf(canvas, quality) {
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
}

function dataUrlOf(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

// Draws `source` (an image or a video frame) as a JPEG under the size limit: lower quality first, then
// a smaller picture.
export async function encode(source, width, height, { maxEdge = MAX_EDGE, qualities = QUALITIES } = {}) {
  let scale = Math.min(1, maxEdge / Math.max(width, height));
  for (let round = 0; round < 4; round++) {
    const canvas = canvasFor(width, height, scale);
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // transparent PNGs would otherwise turn black
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    for (const quality of qualities) {
      const blob = await blobOf(canvas, quality);
      if (blob && blob.size <= MAX_BYTES) {
        const dataUrl = await dataUrlOf(blob);
        return { mime: "image/jpeg", data: dataUrl.slice(dataUrl.indexOf(",") + 1), dataUrl };
      }
    }
    scale *= 0.7;
  }
  throw new Error("picture too large");
}

export async function pictureFromFile(file) {
  const bitmap = await createImageBitmap(file);
  try {
    return await encode(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

// A live camera or screen stream shown in a <video>, from which the student sends snapshots (and which
// the page may share as a stream of frames).
export class SnapshotSource {
  static async camera(video) {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 } }, audio: false });
    return new SnapshotSource(stream, video);
  }

  static async screen(video) {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    return new SnapshotSource(stream, video);
  }

  constructor(stream, video) {
    this.stream = stream;
    this.video = video;
    video.srcObject = stream;
    this.ready = video.play();
  }

  onEnded(callback) {
    this.stream.getVideoTracks().forEach((track) => track.addEventListener("ended", callback));
  }

  async snapshot() {
    await this.ready;
    return encode(this.video, this.video.videoWidth, this.video.videoHeight);
  }

  stop() {
    this.stream.getTracks().forEach((track) => track.stop());
    this.video.srcObject = null;
  }
}
