// A stand-in database: accepts TCP connections on DB_PORT after a short "recovery", answers "ok".
import { createServer } from 'node:net';

const port = Number(process.env.DB_PORT ?? 47311);
console.log('db: recovering from the write-ahead log…');
setTimeout(() => {
  const server = createServer((socket) => {
    // A client that hangs up early (a readiness probe) must not take the server down.
    socket.on('error', () => socket.destroy());
    socket.end('ok\n');
  });
  server.listen(port, '127.0.0.1', () => console.log(`db: accepting connections on ${port}`));
  process.on('SIGTERM', () => {
    console.log('db: shutting down');
    server.close(() => process.exit(0));
  });
}, 400);
