import { describe, expect, it } from 'vitest';
import { ALL_FORMATS, createParseContext, detectFormat, formatById, PLAIN_FORMAT, type ParsedFields } from '../../../src/engine/formats/index.ts';

/** Parses one line with a format, the context's year 2024 and the given zone. */
function parse(id: string, line: string, timeZoneOffsetMinutes = 0): ParsedFields | null {
  const format = formatById(id);
  if (format === undefined) throw new Error(`no format ${id}`);
  return format.parse(line, createParseContext({ year: 2024, timeZoneOffsetMinutes }));
}

function iso(t: number | null | undefined): string | null {
  return t === null || t === undefined ? null : new Date(t).toISOString();
}

describe('the format list', () => {
  it('has unique ids, and each sample line parses with its own format and is detected as it', () => {
    expect(new Set(ALL_FORMATS.map((f) => f.id)).size).toBe(ALL_FORMATS.length);
    for (const format of ALL_FORMATS) {
      expect(format.parse(format.sample, createParseContext()), format.id).not.toBeNull();
      expect(detectFormat([format.sample]).format.id, format.id).toBe(format.id);
    }
  });

  it('says of every format to which family it belongs, and describes it', () => {
    for (const format of ALL_FORMATS) {
      expect(format.family, format.id).toMatch(/^[a-z]+$/);
      expect(format.description.length, format.id).toBeGreaterThan(10);
    }
  });

  it('lets the continuation lines of a trace count against a format only when it has no headers', () => {
    const frame = '\tat com.example.shop.OrderService.place(OrderService.java:42)';
    for (const format of ALL_FORMATS.filter((f) => f !== PLAIN_FORMAT)) {
      const score = detectFormat([format.sample, frame, frame]).scores.find((s) => s.id === format.id);
      expect(score?.scored, format.id).toBe(format.hasHeaders ? 1 : 3);
    }
  });
});

describe('JSON lines', () => {
  it('takes time, level, logger and msg from their keys, and keeps every other key as a field', () => {
    const f = parse('json', '{"time":"2024-03-14T08:00:00.123Z","level":"warn","logger":"db","msg":"slow query","took_ms":1234,"ok":true,"tags":["a"]}');
    expect(f).toEqual({
      timestamp: Date.UTC(2024, 2, 14, 8, 0, 0, 123),
      level: 'WARN',
      levelRaw: 'warn',
      component: 'db',
      pid: null,
      thread: null,
      message: 'slow query',
      extra: { took_ms: 1234, ok: 'true', tags: '["a"]' },
    });
  });

  it('reads pino and bunyan numeric levels and epoch milliseconds', () => {
    const f = parse('json', '{"level":30,"time":1710403200123,"pid":42,"hostname":"web1","msg":"hello"}');
    expect(f).toMatchObject({ level: 'INFO', levelRaw: '30', timestamp: 1710403200123, pid: '42', message: 'hello', extra: { hostname: 'web1' } });
    expect(parse('json', '{"level":50,"msg":"x"}')?.level).toBe('ERROR');
    expect(parse('json', '{"level":60,"msg":"x"}')?.level).toBe('FATAL');
  });

  it("reads zap's float seconds, ECS's @timestamp with a zone and log.level", () => {
    expect(parse('json', '{"level":"error","ts":1710403200.5,"caller":"main.go:12","msg":"boom"}')).toMatchObject({
      level: 'ERROR',
      timestamp: 1710403200500,
      extra: { caller: 'main.go:12' },
    });
    const ecs = parse('json', '{"@timestamp":"2024-03-14T08:00:00.000+01:00","log.level":"ERROR","message":"x","service.name":"api"}');
    expect(iso(ecs?.timestamp)).toBe('2024-03-14T07:00:00.000Z');
    expect(ecs).toMatchObject({ level: 'ERROR', message: 'x', extra: { 'service.name': 'api' } });
  });

  it('takes the first key of a role and keeps the later ones as fields', () => {
    expect(parse('json', '{"msg":"first","message":"second"}')).toMatchObject({ message: 'first', extra: { message: 'second' } });
  });

  it('reads the level from the message when there is no level key', () => {
    expect(parse('json', '{"msg":"ERROR connecting to db"}')).toMatchObject({ level: 'ERROR', levelRaw: null });
  });

  it('is not JSON lines when a line is not one object', () => {
    expect(parse('json', '[1,2]')).toBeNull();
    expect(parse('json', '{"a":')).toBeNull();
    expect(parse('json', 'plain text')).toBeNull();
    expect(parse('json', '{not json}')).toBeNull();
  });
});

describe('logfmt', () => {
  it('reads pairs, quoted values with escapes, and the well-known keys', () => {
    const f = parse('logfmt', 'time=2024-03-14T08:00:00Z level=warn msg="slow query \\"users\\"" component=db took=12ms');
    expect(f).toEqual({
      timestamp: Date.UTC(2024, 2, 14, 8),
      level: 'WARN',
      levelRaw: 'warn',
      component: 'db',
      pid: null,
      thread: null,
      message: 'slow query "users"',
      extra: { took: '12ms' },
    });
  });

  it("reads Go slog's text handler", () => {
    const f = parse('logfmt', 'time=2024-03-14T08:00:00.000+01:00 level=INFO msg=started port=8080');
    expect(f).toMatchObject({ level: 'INFO', message: 'started', extra: { port: '8080' } });
    expect(iso(f?.timestamp)).toBe('2024-03-14T07:00:00.000Z');
  });

  it('does not take prose with an equals sign for logfmt', () => {
    expect(parse('logfmt', 'this is a=b test')).toBeNull();
    expect(parse('logfmt', 'a=b')).toBeNull();
    expect(parse('logfmt', 'level=info')).toMatchObject({ level: 'INFO' });
    expect(parse('logfmt', 'msg="unterminated')).toBeNull();
  });
});

describe('syslog', () => {
  it('RFC 5424: header fields, structured data as fields, the message', () => {
    const f = parse(
      'syslog-5424',
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry',
    );
    expect(f).toEqual({
      timestamp: Date.UTC(2003, 9, 11, 22, 14, 15, 3),
      level: 'INFO',
      levelRaw: 'notice',
      component: 'evntslog',
      pid: null,
      thread: null,
      message: 'An application event log entry',
      extra: { host: 'mymachine.example.com', msgid: 'ID47', iut: '3', eventSource: 'Application', eventID: '1011', facility: 'local4' },
    });
  });

  it('RFC 5424: nil fields, escapes in structured data, a BOM before the message', () => {
    const f = parse('syslog-5424', '<11>1 2024-03-14T08:00:00+02:00 host app 812 - [a@1 q="say \\"hi\\" \\]"][b@2 n="1"] \uFEFFdisk full');
    expect(f).toMatchObject({ level: 'ERROR', levelRaw: 'err', component: 'app', pid: '812', message: 'disk full', extra: { q: 'say "hi" ]', n: '1', facility: 'user' } });
    expect(iso(f?.timestamp)).toBe('2024-03-14T06:00:00.000Z');
    expect(parse('syslog-5424', '<14>1 - - - - - - just a message')).toMatchObject({ timestamp: null, component: null, message: 'just a message' });
  });

  it('RFC 3164 with a priority: level from the severity, facility, host, tag', () => {
    const f = parse('syslog', "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8");
    expect(f).toEqual({
      timestamp: Date.UTC(2024, 9, 11, 22, 14, 15),
      level: 'FATAL',
      levelRaw: 'crit',
      component: 'su',
      pid: null,
      thread: null,
      message: "'su root' failed for lonvick on /dev/pts/8",
      extra: { host: 'mymachine', facility: 'auth' },
    });
  });

  it('RFC 3164 without a host, and without a tag', () => {
    expect(parse('syslog', 'Mar 14 08:00:00 sshd[12]: Accepted key')).toMatchObject({ component: 'sshd', pid: '12', message: 'Accepted key', extra: {} });
    expect(parse('syslog', 'Mar 14 08:00:00 host last message repeated 3 times')).toMatchObject({
      component: null,
      message: 'last message repeated 3 times',
      extra: { host: 'host' },
    });
  });

  it('RFC 3164 without a priority reads the level from the message', () => {
    expect(parse('syslog', 'Mar 14 08:00:00 host kernel: ERROR: disk failure')).toMatchObject({ level: 'ERROR', levelRaw: null });
  });

  it('journald short-iso and short-iso-precise: the zone of the line', () => {
    const f = parse('syslog-iso', '2024-03-14T08:00:00+0100 web01 sshd[812]: Accepted publickey for deploy');
    expect(f).toMatchObject({ component: 'sshd', pid: '812', message: 'Accepted publickey for deploy', extra: { host: 'web01' } });
    expect(iso(f?.timestamp)).toBe('2024-03-14T07:00:00.000Z');
    expect(iso(parse('syslog-iso', '2024-03-14T08:00:00.123456+01:00 web01 systemd[1]: Started x.')?.timestamp)).toBe('2024-03-14T07:00:00.123Z');
  });
});

describe('web servers', () => {
  const combined = '203.0.113.9 - alice [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif?a=1 HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"';

  it('access log, combined: request, status and bytes as numbers, referer, user agent; time with its zone', () => {
    expect(parse('access-combined', combined)).toEqual({
      timestamp: Date.UTC(2000, 9, 10, 20, 55, 36),
      level: 'INFO',
      levelRaw: null,
      component: null,
      pid: null,
      thread: null,
      message: 'GET /apache_pb.gif?a=1 HTTP/1.0',
      extra: {
        ip: '203.0.113.9',
        user: 'alice',
        method: 'GET',
        path: '/apache_pb.gif?a=1',
        protocol: 'HTTP/1.0',
        status: 200,
        bytes: 2326,
        referer: 'http://www.example.com/start.html',
        userAgent: 'Mozilla/4.08 [en] (Win98; I ;Nav)',
      },
    });
  });

  it('access log: 4xx is a warning, 5xx an error, "-" bytes are 0, escaped quotes stay in the request', () => {
    expect(parse('access-common', '10.0.0.1 - - [14/Mar/2024:08:00:00 +0000] "GET /missing HTTP/1.1" 404 -')).toMatchObject({
      level: 'WARN',
      extra: { status: 404, bytes: 0 },
    });
    expect(parse('access-combined', '10.0.0.1 - - [14/Mar/2024:08:00:00 +0000] "POST /pay HTTP/2.0" 503 12 "-" "curl/8.0"')).toMatchObject({
      level: 'ERROR',
      extra: { method: 'POST', status: 503, userAgent: 'curl/8.0' },
    });
    expect(parse('access-common', '10.0.0.1 - - [14/Mar/2024:08:00:00 +0000] "GET /a\\"b HTTP/1.1" 200 5')?.message).toBe('GET /a\\"b HTTP/1.1');
  });

  it('a common-format line is not combined, and a combined line is detected as combined', () => {
    expect(parse('access-combined', '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326')).toBeNull();
    expect(detectFormat([combined]).format.id).toBe('access-combined');
  });

  it('Apache 2.4 error log: module, level, pid and tid; the client stays in the message and is a field', () => {
    const f = parse(
      'apache-error',
      '[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:5555] AH00124: Request exceeded the limit of 10 internal redirects',
    );
    expect(f).toEqual({
      timestamp: Date.UTC(2000, 9, 11, 14, 32, 52, 123),
      level: 'ERROR',
      levelRaw: 'error',
      component: 'core',
      pid: '35708',
      thread: '4328636416',
      message: '[client 72.15.99.187:5555] AH00124: Request exceeded the limit of 10 internal redirects',
      extra: { client: '72.15.99.187:5555' },
    });
    expect(parse('apache-error', '[Thu Mar 14 08:00:00.5 2024] [http2:trace3] [pid 7] h2 stream')).toMatchObject({ level: 'TRACE', levelRaw: 'trace3', pid: '7', thread: null });
    expect(parse('apache-error', '[Sun Dec 04 04:47:44 2005] [warn] cache full')).toMatchObject({ level: 'WARN', component: null, message: 'cache full' });
  });

  it('nginx error log: level, pid#tid, connection number', () => {
    expect(parse('nginx-error', '2024/03/14 08:00:00 [crit] 1234#5678: *9 connect() failed (111: Connection refused)')).toEqual({
      timestamp: Date.UTC(2024, 2, 14, 8),
      level: 'FATAL',
      levelRaw: 'crit',
      component: null,
      pid: '1234',
      thread: '5678',
      message: 'connect() failed (111: Connection refused)',
      extra: { connection: 9 },
    });
  });
});

describe('the log4j family', () => {
  it('log4j with an ISO stamp and zone; a zone-less stamp takes the user zone', () => {
    const f = parse('log4j', '2024-03-14T08:00:00.123+02:00 ERROR [main] com.example.Db: connection lost');
    expect(f).toMatchObject({ level: 'ERROR', thread: 'main', component: 'com.example.Db', message: 'connection lost' });
    expect(iso(f?.timestamp)).toBe('2024-03-14T06:00:00.123Z');
    expect(iso(parse('log4j', '2024-03-14 08:00:00,123 INFO [main] a.B: x', 60)?.timestamp)).toBe('2024-03-14T07:00:00.123Z');
  });

  it('log4j: `logger - message`, a bracketed level, no thread, no logger', () => {
    expect(parse('log4j', '2024-03-14 08:00:00,123 WARN  com.example.Cache - evicted 12')).toMatchObject({ level: 'WARN', component: 'com.example.Cache', thread: null, message: 'evicted 12' });
    expect(parse('log4j', '2024-03-14 08:00:00 [ERROR] something broke')).toMatchObject({ level: 'ERROR', levelRaw: 'ERROR', component: null, message: 'something broke' });
  });

  it('log4j needs a level word: a letter or a number in its place is not one', () => {
    expect(parse('log4j', '2024-03-14 08:00:00,123 A [main] x: y')).toBeNull();
    expect(parse('log4j', '2024-03-14 08:00:00,123 Starting server')).toBeNull();
  });

  it('logback: thread before level, `logger - message`; the time-only default pattern has no timestamp', () => {
    expect(parse('logback', '2024-03-14 08:00:00.123 [http-nio-8080-exec-1] WARN  c.e.web.OrderController - slow request')).toEqual({
      timestamp: Date.UTC(2024, 2, 14, 8, 0, 0, 123),
      level: 'WARN',
      levelRaw: 'WARN',
      component: 'c.e.web.OrderController',
      pid: null,
      thread: 'http-nio-8080-exec-1',
      message: 'slow request',
      extra: undefined,
    });
    expect(parse('logback', '08:00:00.123 [main] DEBUG com.example.App - Starting')).toMatchObject({ timestamp: null, level: 'DEBUG', component: 'com.example.App' });
  });

  it('Spring Boot 2 and 3 (with the application name)', () => {
    expect(parse('spring-boot', '2024-03-14 08:00:00.123  INFO 12345 --- [           main] c.e.App                                  : Started App in 2.3 seconds')).toMatchObject({
      level: 'INFO',
      pid: '12345',
      thread: 'main',
      component: 'c.e.App',
      message: 'Started App in 2.3 seconds',
    });
    const boot3 = parse('spring-boot', '2024-03-14T08:00:00.123+01:00 ERROR 12345 --- [shop] [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() failed');
    expect(boot3).toMatchObject({ level: 'ERROR', thread: 'nio-8080-exec-1', component: 'o.a.c.c.C.[.[.[/].[dispatcherServlet]', message: 'Servlet.service() failed' });
    expect(iso(boot3?.timestamp)).toBe('2024-03-14T07:00:00.123Z');
  });

  it("Tomcat's one-line JUL format: SEVERE is an error", () => {
    expect(parse('tomcat', '14-Mar-2024 08:00:00.123 SEVERE [main] org.apache.catalina.core.StandardContext.startInternal One or more listeners failed')).toEqual({
      timestamp: Date.UTC(2024, 2, 14, 8, 0, 0, 123),
      level: 'ERROR',
      levelRaw: 'SEVERE',
      component: 'org.apache.catalina.core.StandardContext.startInternal',
      pid: null,
      thread: 'main',
      message: 'One or more listeners failed',
      extra: undefined,
    });
  });

  it('Python logging: the cookbook layout, padded levels, CRITICAL, Flask', () => {
    expect(parse('python', '2024-03-14 08:00:00,123 - shop.db - WARNING - slow query')).toMatchObject({
      timestamp: Date.UTC(2024, 2, 14, 8, 0, 0, 123),
      level: 'WARN',
      levelRaw: 'WARNING',
      component: 'shop.db',
      message: 'slow query',
    });
    expect(parse('python', '2024-03-14 08:00:00,123 - root - CRITICAL - out of memory - giving up')).toMatchObject({ level: 'FATAL', message: 'out of memory - giving up' });
    expect(parse('python', '2024-03-14 08:00:00,123 - app - INFO     - padded')).toMatchObject({ level: 'INFO', levelRaw: 'INFO', message: 'padded' });
    expect(parse('python', '[2024-03-14 08:00:00,123] ERROR in app: Exception on /checkout [POST]')).toMatchObject({ level: 'ERROR', component: 'app', message: 'Exception on /checkout [POST]' });
  });

  it("Python's default format LEVEL:logger:message; prose with a colon is not it", () => {
    expect(parse('python-default', 'ERROR:root:failed to connect: timeout')).toEqual({
      timestamp: null,
      level: 'ERROR',
      levelRaw: 'ERROR',
      component: 'root',
      pid: null,
      thread: null,
      message: 'failed to connect: timeout',
      extra: undefined,
    });
    expect(parse('python-default', 'INFO: this is prose')).toBeNull();
    expect(parse('python-default', 'Note:x:y')).toBeNull();
  });
});

describe('Android logcat', () => {
  it('threadtime with the year (logcat -v year)', () => {
    expect(parse('logcat-threadtime', '2024-03-17 16:13:38.811  1702  2395 W ActivityManager: Slow operation: 54ms')).toEqual({
      timestamp: Date.UTC(2024, 2, 17, 16, 13, 38, 811),
      level: 'WARN',
      levelRaw: 'W',
      component: 'ActivityManager',
      pid: '1702',
      thread: '2395',
      message: 'Slow operation: 54ms',
      extra: undefined,
    });
  });

  it('threadtime: a padded tag, an empty message, the buffer markers', () => {
    expect(parse('logcat-threadtime', '03-17 16:13:38.811  1702  2395 I chatty  : uid=1000 expire 3 lines')).toMatchObject({ component: 'chatty', message: 'uid=1000 expire 3 lines' });
    expect(parse('logcat-threadtime', '03-17 16:13:38.811  1702  2395 E Tag:')).toMatchObject({ level: 'ERROR', message: '' });
    expect(parse('logcat-threadtime', '--------- beginning of crash')).toMatchObject({ level: 'UNKNOWN', message: '--------- beginning of crash' });
  });

  it('time and brief', () => {
    expect(parse('logcat-time', '03-17 16:13:38.811 E/AndroidRuntime( 4242): FATAL EXCEPTION: main')).toMatchObject({
      timestamp: Date.UTC(2024, 2, 17, 16, 13, 38, 811),
      level: 'ERROR',
      component: 'AndroidRuntime',
      pid: '4242',
      message: 'FATAL EXCEPTION: main',
    });
    expect(parse('logcat-brief', 'V/Looper(123): dispatch')).toMatchObject({ timestamp: null, level: 'TRACE', component: 'Looper', pid: '123', message: 'dispatch' });
  });
});

describe('Windows CBS', () => {
  it('reads level and component, the message keeps its own colons and dates', () => {
    expect(parse('windows-cbs', '2016-09-28 04:30:31, Error                 CSI    00000002@2016/9/27:20:30:31.455 Failed to open file')).toEqual({
      timestamp: Date.UTC(2016, 8, 28, 4, 30, 31),
      level: 'ERROR',
      levelRaw: 'Error',
      component: 'CSI',
      pid: null,
      thread: null,
      message: '00000002@2016/9/27:20:30:31.455 Failed to open file',
      extra: undefined,
    });
    expect(parse('windows-cbs', '2016-09-28 04:30:30, Warning               CBS    Unrecognized packageExtended attribute.')?.level).toBe('WARN');
  });
});

describe('glog, klog and Go', () => {
  it('glog: letter level, year-less stamp with microseconds, padded thread id, file and line', () => {
    expect(parse('glog', 'E0314 08:00:00.123456    1234 server.cc:42] Check failed: x')).toEqual({
      timestamp: Date.UTC(2024, 2, 14, 8, 0, 0, 123),
      level: 'ERROR',
      levelRaw: 'E',
      component: 'server.cc',
      pid: null,
      thread: '1234',
      message: 'Check failed: x',
      extra: { line: 42 },
    });
  });

  it('glog 0.7 writes the year; klog is the same layout', () => {
    expect(iso(parse('glog', 'W20230102 15:04:05.000001 7 main.cc:1] low disk')?.timestamp)).toBe('2023-01-02T15:04:05.000Z');
    expect(parse('glog', 'I0314 08:00:00.000000       1 controller.go:116] Starting controller')).toMatchObject({ level: 'INFO', component: 'controller.go' });
  });

  it("Go's log package: with and without the file, level from the message", () => {
    expect(parse('go-log', '2024/03/14 08:00:00 listening on :8080')).toMatchObject({ timestamp: Date.UTC(2024, 2, 14, 8), component: null, message: 'listening on :8080' });
    expect(parse('go-log', '2024/03/14 08:00:00.123456 /src/app/main.go:23: ERROR: bind failed')).toMatchObject({
      timestamp: Date.UTC(2024, 2, 14, 8, 0, 0, 123),
      level: 'ERROR',
      component: '/src/app/main.go',
      extra: { line: 23 },
      message: 'ERROR: bind failed',
    });
  });
});

describe('plain text', () => {
  it('keeps the line as the message and finds a level and a timestamp in it', () => {
    expect(parse('plain', 'Mar 14 08:00:01 something WARNING happened')).toEqual({
      timestamp: Date.UTC(2024, 2, 14, 8, 0, 1),
      level: 'WARN',
      levelRaw: null,
      component: null,
      pid: null,
      thread: null,
      message: 'Mar 14 08:00:01 something WARNING happened',
      extra: undefined,
    });
  });
});

describe('year-less timestamps', () => {
  it('move to the next year when the months go backwards (Dec → Jan)', () => {
    const ctx = createParseContext({ year: 2023 });
    const syslog = formatById('syslog')!;
    const times = ['Dec 31 23:59:59 h a: x', 'Jan  1 00:00:01 h a: y'].map((l) => iso(syslog.parse(l, ctx)?.timestamp));
    expect(times).toEqual(['2023-12-31T23:59:59.000Z', '2024-01-01T00:00:01.000Z']);
  });
});
