// A TLS front for one `next start` (DBSC needs HTTPS): `node e2e/tls-front.mjs <cert dir> <listen port> <target port>`.
// Forwards every request unchanged to http://127.0.0.1:<target port> and streams the answer back.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';

const [certDir, listenPort, targetPort] = process.argv.slice(2);
const tls = {
  key: fs.readFileSync(path.join(certDir, 'key.pem')),
  cert: fs.readFileSync(path.join(certDir, 'cert.pem')),
};

https
  .createServer(tls, (request, response) => {
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: Number(targetPort),
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  })
  .listen(Number(listenPort), '127.0.0.1');
