/**
 * Frame-major storage for spectral frames: one Float32Array holds every frame back to back and
 * each frame is a view into it, so a 10-minute analysis is two large allocations rather than
 * hundreds of thousands of small ones (less heap overhead, less GC work).
 */
export function allocateFrames(frameCount: number, binCount: number): Float32Array[] {
  const data = new Float32Array(frameCount * binCount);
  const frames = new Array<Float32Array>(frameCount);
  for (let t = 0; t < frameCount; t++) frames[t] = data.subarray(t * binCount, (t + 1) * binCount);
  return frames;
}
