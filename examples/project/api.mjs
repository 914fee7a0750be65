// A small HTTP API that checks the database once, then serves /health.
import { createServer } from 'node:http';
import { connect } from 'node:net';

const port = Number(process.env.API_PORT ?? 47312);
const dbPort = Number(process.env.DB_PORT ?? 47311);
const db = connect(dbPort, '127.0.0.1');
db.on('data', () => {
  db.end();
  console.log(`api: database at ${dbPort} answered`);
  const server = createServer((request, response) => {
    console.log(`api: ${request.method} ${request.url}`);
    response.writeHead(request.url === '/health' ? 200 : 404, { 'content-type': 'text/plain' });
    response.end(request.url === '/health' ? 'healthy\n' : 'not found\n');
  });
  server.listen(port, '127.0.0.1', () => console.log(`api: listening on http://127.0.0.1:${port}`));
  process.on('SIGTERM', () => {
    console.log('api: draining connections');
    server.close(() => process.exit(0));
  });
});
db.on('error', (error) => {
  console.error(`api: no database: ${error.message}`);
  process.exit(1);
});
