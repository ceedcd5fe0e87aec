/**
 * Deterministic generator of a realistic Java/Spring service log, for benchmarks and the
 * embedded sample. The same seed gives the same bytes on every machine, so figures measured
 * on "app-1g.log" are comparable across runs and engineers.
 *
 *   npx tsx bench/generate.ts --size 1GB --out bench/data/app-1g.log
 *   npx tsx bench/generate.ts --lines 5000 --seed 7 --out public/sample.log
 *
 * Output is ASCII only, so characters and bytes are the same count.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GenerateOptions {
  /** Stop once at least this many bytes were produced (ends on a full line). */
  bytes?: number;
  /** Stop after exactly this many lines (a stack trace may be cut short). */
  lines?: number;
  seed?: number;
  /** Approximate size of each yielded chunk. */
  chunkBytes?: number;
}

/** mulberry32: tiny, fast and good enough; Math.random cannot be seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HTTP_PATHS = [
  '/api/v1/orders',
  '/api/v1/orders/{id}',
  '/api/v1/orders/{id}/items',
  '/api/v1/products',
  '/api/v1/products/{id}',
  '/api/v1/cart',
  '/api/v1/payments',
  '/api/v1/users/{id}',
  '/api/v1/users/{id}/addresses',
  '/api/v1/search',
  '/actuator/health',
  '/actuator/prometheus',
];
const SERVICES = ['inventory-service', 'payment-gateway', 'pricing-service', 'user-service', 'shipping-api'];
const TABLES = ['orders', 'order_items', 'products', 'users', 'payments', 'carts', 'addresses'];
const CACHES = ['product', 'price', 'session', 'user', 'stock'];
const TOPICS = ['orders.created', 'payments.settled', 'stock.changed', 'users.updated'];

const WEB_LOGGERS = ['c.e.shop.web.OrderController', 'c.e.shop.web.ProductController', 'c.e.shop.web.CartController'];
const DISPATCHER = 'o.s.web.servlet.DispatcherServlet';
const REPO_LOGGERS = ['c.e.shop.repo.OrderRepository', 'c.e.shop.repo.ProductRepository', 'c.e.shop.repo.UserRepository'];
const HIKARI = 'com.zaxxer.hikari.pool.HikariPool';
const CACHE_LOGGER = 'c.e.shop.cache.CacheManager';
const CLIENT_LOGGER = 'c.e.shop.client.RestClient';
const PAYMENT = 'c.e.shop.service.PaymentService';
const KAFKA = 'c.e.shop.events.OrderEventListener';
const SCHEDULER = 'c.e.shop.jobs.StockSyncJob';

/** A JVM-ish exception with its frames; `cause` adds a "Caused by:" section like real traces. */
interface ExceptionSpec {
  type: string;
  message: (r: Rng) => string;
  frames: string[];
  cause?: ExceptionSpec;
}

const SOCKET_TIMEOUT: ExceptionSpec = {
  type: 'java.net.SocketTimeoutException',
  message: () => 'Read timed out',
  frames: [
    'java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
    'java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:314)',
    'java.base/java.net.Socket$SocketInputStream.read(Socket.java:976)',
    'org.apache.hc.core5.http.impl.io.SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:149)',
  ],
};
const EXCEPTIONS: ExceptionSpec[] = [
  {
    type: 'org.springframework.web.client.ResourceAccessException',
    message: (r) => `I/O error on POST request for "http://${r.pick(SERVICES)}:8080/api/charge": Read timed out`,
    frames: [
      'org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:905)',
      'org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:885)',
      'org.springframework.web.client.RestTemplate.postForEntity(RestTemplate.java:512)',
      'com.example.shop.client.RestClient.post(RestClient.java:87)',
      'com.example.shop.service.PaymentService.charge(PaymentService.java:142)',
      'com.example.shop.web.OrderController.checkout(OrderController.java:77)',
      'java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)',
      'org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)',
    ],
    cause: SOCKET_TIMEOUT,
  },
  {
    type: 'java.lang.NullPointerException',
    message: () => 'Cannot invoke "com.example.shop.model.Address.getCountry()" because "address" is null',
    frames: [
      'com.example.shop.service.ShippingService.quote(ShippingService.java:58)',
      'com.example.shop.service.OrderService.place(OrderService.java:211)',
      'com.example.shop.web.OrderController.create(OrderController.java:54)',
      'java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)',
      'org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)',
    ],
  },
  {
    type: 'org.springframework.dao.DataAccessResourceFailureException',
    message: () => 'Unable to acquire JDBC Connection',
    frames: [
      'org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:277)',
      'org.springframework.orm.jpa.JpaTransactionManager.doBegin(JpaTransactionManager.java:466)',
      'com.example.shop.repo.OrderRepository.findByUserId(OrderRepository.java:41)',
      'com.example.shop.service.OrderService.history(OrderService.java:96)',
    ],
    cause: {
      type: 'java.sql.SQLTransientConnectionException',
      message: () => 'HikariPool-1 - Connection is not available, request timed out after 30000ms.',
      frames: [
        'com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)',
        'com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)',
        'com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:128)',
      ],
    },
  },
  {
    type: 'java.lang.IllegalStateException',
    message: (r) => `Order ${r.int(100000, 999999)} is already in state SHIPPED`,
    frames: [
      'com.example.shop.model.Order.cancel(Order.java:132)',
      'com.example.shop.service.OrderService.cancel(OrderService.java:174)',
      'com.example.shop.web.OrderController.cancel(OrderController.java:101)',
    ],
  },
  {
    type: 'org.apache.kafka.common.errors.TimeoutException',
    message: (r) => `Topic ${r.pick(TOPICS)} not present in metadata after 60000 ms.`,
    frames: [
      'org.apache.kafka.clients.producer.KafkaProducer.waitOnMetadata(KafkaProducer.java:1150)',
      'org.apache.kafka.clients.producer.KafkaProducer.doSend(KafkaProducer.java:960)',
      'com.example.shop.events.EventPublisher.publish(EventPublisher.java:39)',
    ],
  },
];

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Long-tailed latency: most requests fast, a few very slow, as in real services. */
  latency(): number {
    return Math.round(2 + -Math.log(1 - this.next()) * 40 * (this.chance(0.03) ? 25 : 1));
  }
  user(): string {
    return `u-${this.int(1000, 99999)}`;
  }
  path(): string {
    const p = this.pick(HTTP_PATHS);
    return p.includes('{id}') ? p.replace('{id}', String(this.int(1, 250000))) : p;
  }
}

type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

/** One log event: a header line and, for some errors, a stack trace after it. */
interface Entry {
  level: Level;
  thread: string;
  logger: string;
  message: string;
  exception?: ExceptionSpec;
}

function httpThread(r: Rng): string {
  return `http-nio-8080-exec-${r.int(1, 48)}`;
}

function infoEntry(r: Rng): Entry {
  const roll = r.next();
  if (roll < 0.55) {
    const method = r.chance(0.7) ? 'GET' : r.pick(['POST', 'PUT', 'DELETE']);
    const status = r.chance(0.92) ? 200 : r.pick([201, 204, 301, 304, 400, 401, 404]);
    return {
      level: 'INFO',
      thread: httpThread(r),
      logger: r.pick(WEB_LOGGERS),
      message: `${method} ${r.path()} -> ${status} in ${r.latency()}ms user=${r.user()} bytes=${r.int(80, 48000)}`,
    };
  }
  if (roll < 0.7) {
    const cache = r.pick(CACHES);
    return {
      level: 'INFO',
      thread: httpThread(r),
      logger: CACHE_LOGGER,
      message: `Cache hit cache=${cache} key=${cache}:${r.int(1, 90000)} ttl=${r.int(1, 600)}s`,
    };
  }
  if (roll < 0.82) {
    return {
      level: 'INFO',
      thread: httpThread(r),
      logger: PAYMENT,
      message: `Order ${r.int(100000, 999999)} placed by user=${r.user()} items=${r.int(1, 9)} total=${r.int(5, 900)}.${r.int(10, 99)} EUR`,
    };
  }
  if (roll < 0.99) {
    return {
      level: 'INFO',
      thread: `kafka-consumer-${r.int(1, 4)}`,
      logger: KAFKA,
      message: `Consumed ${r.pick(TOPICS)} partition=${r.int(0, 11)} offset=${r.int(1000000, 9999999)} lag=${r.int(0, 40)}`,
    };
  }
  return {
    level: 'INFO',
    thread: 'scheduling-1',
    logger: SCHEDULER,
    message: `Stock sync finished: ${r.int(100, 5000)} products updated in ${r.int(200, 9000)}ms`,
  };
}

function debugEntry(r: Rng): Entry {
  const roll = r.next();
  if (roll < 0.45) {
    const table = r.pick(TABLES);
    return {
      level: 'DEBUG',
      thread: httpThread(r),
      logger: r.pick(REPO_LOGGERS),
      message: `SQL select t.* from ${table} t where t.id=? [${r.int(1, 250000)}] rows=${r.int(0, 50)} took ${r.int(0, 40)}ms`,
    };
  }
  if (roll < 0.7) {
    const cache = r.pick(CACHES);
    return {
      level: 'DEBUG',
      thread: httpThread(r),
      logger: CACHE_LOGGER,
      message: `Cache miss cache=${cache} key=${cache}:${r.int(1, 90000)}, loading from the database`,
    };
  }
  if (roll < 0.85) {
    return {
      level: 'DEBUG',
      thread: 'HikariPool-1 housekeeper',
      logger: HIKARI,
      message: `HikariPool-1 - Pool stats (total=20, active=${r.int(0, 20)}, idle=${r.int(0, 20)}, waiting=${r.int(0, 3)})`,
    };
  }
  return {
    level: 'DEBUG',
    thread: httpThread(r),
    logger: DISPATCHER,
    message: `Completed initialization of request ${r.path()} session=${r.int(0x10000000, 0x7fffffff).toString(16)}`,
  };
}

function warnEntry(r: Rng): Entry {
  const roll = r.next();
  if (roll < 0.35) {
    return {
      level: 'WARN',
      thread: httpThread(r),
      logger: r.pick(WEB_LOGGERS),
      message: `Slow request GET ${r.path()} took ${r.int(1000, 9000)}ms (threshold 1000ms) user=${r.user()}`,
    };
  }
  if (roll < 0.65) {
    return {
      level: 'WARN',
      thread: httpThread(r),
      logger: CLIENT_LOGGER,
      message: `Retrying call to ${r.pick(SERVICES)} (attempt ${r.int(2, 3)}/3) after ${r.pick([100, 250, 500, 1000])}ms: connect timed out`,
    };
  }
  if (roll < 0.85) {
    return {
      level: 'WARN',
      thread: httpThread(r),
      logger: r.pick(WEB_LOGGERS),
      message: `${r.pick(['POST', 'GET'])} ${r.path()} -> ${r.pick([409, 422, 429])} in ${r.latency()}ms user=${r.user()}`,
    };
  }
  return {
    level: 'WARN',
    thread: 'HikariPool-1 housekeeper',
    logger: HIKARI,
    message: `HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=${r.int(60, 120)}s).`,
  };
}

function errorEntry(r: Rng): Entry {
  const exception = r.pick(EXCEPTIONS);
  const roll = r.next();
  const message =
    roll < 0.4
      ? `Request failed: POST ${r.path()} -> ${r.pick([500, 502, 503, 504])} in ${r.int(30, 30100)}ms user=${r.user()}`
      : roll < 0.7
        ? `Timeout after ${r.pick([2000, 5000, 10000])}ms calling ${r.pick(SERVICES)}, giving up after 3 attempts`
        : `Unexpected error while handling request ${r.path()}`;
  return {
    level: 'ERROR',
    thread: httpThread(r),
    logger: r.chance(0.5) ? PAYMENT : r.pick(WEB_LOGGERS),
    message,
    // Not every error carries a trace; real services log many as one line.
    exception: r.chance(0.45) ? exception : undefined,
  };
}

function fatalEntry(r: Rng): Entry {
  return {
    level: 'FATAL',
    thread: r.pick(['main', 'scheduling-1', `kafka-consumer-${r.int(1, 4)}`]),
    logger: r.pick([KAFKA, SCHEDULER, 'c.e.shop.ShopApplication']),
    message: r.pick([
      'Unrecoverable error in consumer loop, shutting down the listener container',
      'java.lang.OutOfMemoryError: Java heap space, requesting a restart',
      'Lost connection to the primary database and failover did not complete',
    ]),
  };
}

function pushStackTrace(r: Rng, spec: ExceptionSpec, out: string[], caused = false): void {
  out.push(`${caused ? 'Caused by: ' : ''}${spec.type}: ${spec.message(r)}`);
  const depth = caused ? Math.min(spec.frames.length, r.int(2, spec.frames.length)) : spec.frames.length;
  for (let i = 0; i < depth; i++) out.push(`\tat ${spec.frames[i]}`);
  if (caused && depth < spec.frames.length) out.push(`\t... ${r.int(20, 90)} common frames omitted`);
  if (spec.cause) pushStackTrace(r, spec.cause, out, true);
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;
const pad3 = (n: number) => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

/**
 * Streams a generated log as text chunks; nothing holds the whole file, so a 4 GB file
 * costs what a 4 MB one does.
 */
export function* generateLog(options: GenerateOptions = {}): Generator<string> {
  const maxBytes = options.bytes ?? Infinity;
  const maxLines = options.lines ?? (options.bytes === undefined ? 10_000 : Infinity);
  const chunkBytes = options.chunkBytes ?? 1 << 16;
  const r = new Rng(options.seed ?? 1);

  // Fixed start keeps output identical across runs; the clock only moves forward.
  let clock = Date.UTC(2024, 2, 14, 8, 0, 0, 0);
  let secondStart = -1;
  let secondPrefix = '';

  let bytes = 0;
  let lines = 0;
  let chunk = '';
  const pending: string[] = [];

  while (bytes < maxBytes && lines < maxLines) {
    // Bursty spacing: requests come in clusters, with quiet gaps between.
    clock += r.chance(0.9) ? r.int(0, 12) : r.int(20, 900);
    const second = clock - (clock % 1000);
    if (second !== secondStart) {
      // Formatting a date per second rather than per line keeps the generator faster than its consumers.
      secondStart = second;
      const d = new Date(second);
      secondPrefix =
        `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
        `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())},`;
    }

    const roll = r.next();
    if (roll < 0.004) {
      // A sidecar writing JSON into the same stream, as happens in containers.
      const level = r.pick(['info', 'info', 'warn', 'error', 'debug']);
      const iso = new Date(clock).toISOString();
      pending.push(
        `{"ts":"${iso}","level":"${level}","logger":"audit","msg":"${r.pick(['token refreshed', 'permission check', 'rate limit window reset', 'login'])}","user":"${r.user()}","latency_ms":${r.latency()}}`,
      );
    } else {
      const entry =
        roll < 0.0045
          ? fatalEntry(r)
          : roll < 0.0195
            ? errorEntry(r)
            : roll < 0.0695
              ? warnEntry(r)
              : roll < 0.23
                ? debugEntry(r)
                : infoEntry(r);
      pending.push(`${secondPrefix}${pad3(clock % 1000)} ${entry.level} [${entry.thread}] ${entry.logger}: ${entry.message}`);
      if (entry.exception) pushStackTrace(r, entry.exception, pending);
    }

    for (let i = 0; i < pending.length && lines < maxLines; i++) {
      const line = pending[i] + '\n';
      chunk += line;
      bytes += line.length;
      lines++;
    }
    pending.length = 0;
    if (chunk.length >= chunkBytes) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** "200MB", "1GB", "512KiB", "1000" -> bytes. Decimal units (1 MB = 10^6 B); *iB are binary. */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?)b?\s*$/i.exec(text);
  if (!m) throw new Error(`cannot read size ${JSON.stringify(text)} (try 200MB, 1GB, 512KiB)`);
  const power = ' kmgt'.indexOf(m[2].toLowerCase() || ' ');
  return Math.round(Number(m[1]) * (m[3] ? 1024 : 1000) ** power);
}

/** Writes a generated log to a file, honouring backpressure so memory stays flat. */
export async function writeLog(path: string, options: GenerateOptions): Promise<{ bytes: number }> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let bytes = 0;
  try {
    for (const chunk of generateLog(options)) {
      bytes += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  return { bytes };
}

async function main(argv: string[]): Promise<void> {
  const options: GenerateOptions = {};
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--size':
        options.bytes = parseSize(value);
        i++;
        break;
      case '--lines':
        options.lines = Number(value);
        i++;
        break;
      case '--seed':
        options.seed = Number(value);
        i++;
        break;
      case '--out':
        out = value;
        i++;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}\nusage: generate.ts (--size 1GB | --lines N) [--seed N] [--out FILE]`);
    }
  }
  if (!out) {
    for (const chunk of generateLog(options)) {
      if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
    }
    return;
  }
  const started = process.hrtime.bigint();
  const { bytes } = await writeLog(out, options);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.error(`wrote ${out}: ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
