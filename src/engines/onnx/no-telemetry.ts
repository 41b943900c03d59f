// Imported (for its effect) before onnxruntime-node wherever a session is made.
//
// onnxruntime 1.2x starts a telemetry system with the first session: on Linux and macOS it writes a
// device id and an event store under $XDG_CACHE_HOME/Microsoft/DeveloperTools/.onnxruntime
// (deviceid, onnxruntime.db) and may upload events. ORT_DISABLE_TELEMETRY=1 (read by the native
// runtime when it creates its environment, i.e. at the first session, not at import) turns all of
// that off: with it, nothing is written there. A value the person set (e.g. 0 to opt in) is kept.
// Worker threads share the process environment, so the worker engine is covered too.
process.env.ORT_DISABLE_TELEMETRY ??= '1';
