import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { maskConfig } from '../config/mask-config.js';
import { AutoVoiceError } from '../errors/index.js';
import { buildServer } from './build-server.js';
import { createServices, type CreateServicesOptions } from './create-services.js';
import { createLogger } from './logger.js';
import type { ServerDeps } from './server-deps.js';
import { configureOnnxExecution } from '../models/onnx-session.adapter.js';
import { configureDefaultTtsRegistry, defaultTtsRegistry, preloadTtsEngines } from '../tts/tts-registry.js';
import { join } from 'node:path';

/** Why the port could not be opened, as a configuration error (the usual causes are all settings). */
function listenError(error: unknown, config: AppConfig): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${config.server.host}:${config.server.port}`;
  const reason =
    code === 'EADDRINUSE'
      ? `${where} is already in use (another AutoVoice or another program); stop it or set AUTOVOICE_PORT`
      : code === 'EACCES'
        ? `${where} needs privileges this user lacks (ports below 1024); set AUTOVOICE_PORT to 1024 or above`
        : code === 'EADDRNOTAVAIL'
          ? `${config.server.host} is not an address of this machine; set AUTOVOICE_HOST (0.0.0.0 for every interface)`
          : undefined;
  return reason === undefined
    ? error
    : new AutoVoiceError(
        'config.invalid',
        `Invalid configuration: ${reason}.`,
        { host: config.server.host, port: config.server.port, reason: code },
        { cause: error },
      );
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** A running service: the app, its address, and a graceful stop. */
export interface RunningServer {
  readonly app: FastifyInstance;
  readonly deps: ServerDeps;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts the whole service: logger, services (database, workers, recovery), HTTP server on
 * config.server.host:port. Warns loudly when auth is off on a non-loopback address, and when no
 * GPU is found (CPU mode). `stop` stops accepting, drains jobs within the grace time, exits clean.
 */
export async function startServer(config: AppConfig, options: CreateServicesOptions): Promise<RunningServer> {
  const logger = createLogger(config);
  logger.info({ config: maskConfig(config) }, 'starting AutoVoice');
  const services = await createServices(config, logger, options);
  const app = await buildServer(config, services.deps);
  if (config.auth.mode === 'off' && !isLoopbackHost(config.server.host)) {
    const banner = '!'.repeat(78);
    logger.warn(
      `${banner}\nAUTHENTICATION IS OFF and the server listens on ${config.server.host}: anyone who can reach this port has full admin access. Set AUTOVOICE_AUTH=required and create keys with "autovoice keys create".\n${banner}`,
    );
  }
  const devices = await services.deps.gpu();
  if (devices.length === 0)
    logger.warn('no GPU detected (nvidia-smi absent or reports none): running on CPU');
  else logger.info({ gpus: devices.map((d) => d.name) }, 'GPU detected');
  const onnx = configureOnnxExecution(config.onnx.executionProvider);
  if (
    onnx.fellBack ||
    (devices.length > 0 && onnx.provider === 'cpu' && config.onnx.executionProvider !== 'cpu')
  ) {
    logger.warn(
      { requested: config.onnx.executionProvider, gpus: devices.length },
      "ONNX models run on the CPU: onnxruntime's CUDA execution provider is not installed or no GPU answers (use the GPU image, or set AUTOVOICE_EXECUTION_PROVIDER=cpu to silence this)",
    );
  } else {
    logger.info({ executionProvider: onnx.provider }, 'ONNX execution provider');
  }
  // Piper voices an operator drops into <dataDir>/piper; warm the wasm engines in the background
  // so the first synchronous /synthesize does not pay their JIT compilation.
  configureDefaultTtsRegistry({ piperVoiceDirs: [join(config.dataDir, 'piper')] });
  preloadTtsEngines(defaultTtsRegistry).catch((error: unknown) =>
    logger.warn({ err: error }, 'TTS engines could not be preloaded; they load on first use'),
  );

  try {
    await app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    await app.close();
    await services.close();
    throw listenError(error, config);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.server.port;
  const url = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${port}`;
  logger.info({ url, auth: config.auth.mode, workers: config.jobs.workers }, `AutoVoice listening on ${url}`);

  let stopping: Promise<void> | undefined;
  return {
    app,
    deps: services.deps,
    url,
    stop: () =>
      (stopping ??= (async () => {
        logger.info('shutting down: no new requests; draining jobs');
        await app.close();
        await services.close();
        logger.info('shutdown complete');
        logger.flush();
      })()),
  };
}
