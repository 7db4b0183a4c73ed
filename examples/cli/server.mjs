// A small HTTP server: ready once it prints "listening on <port>"; /health answers 200.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 0);
const server = createServer((request, response) => {
  response.end(request.url === '/health' ? 'ok' : `hello from pid ${process.pid}\n`);
});
server.listen(port, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
