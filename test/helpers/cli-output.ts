/**
 * The first line the CLI itself wrote to stderr. With the native backend, TensorFlow's C++
 * library logs a oneDNN notice (and absl's "All log messages before absl::InitializeLog()") on
 * fd 2 as it loads; TF_CPP_MIN_LOG_LEVEL does not silence that one, only turning oneDNN off
 * would, at a cost in speed (see docs/training-speed.md). Those lines have TensorFlow's format.
 */
const tensorflowLog = /^(WARNING: All log messages before absl::InitializeLog\(\)|[IWE]\d{4} [\d:.]+ +\d+ [\w.]+:\d+\])/;

export function firstCliLine(stderr: string): string {
  return (
    stderr
      .trim()
      .split('\n')
      .find((line) => !tensorflowLog.test(line)) ?? ''
  );
}
