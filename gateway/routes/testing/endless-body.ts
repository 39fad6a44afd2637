import http from 'node:http';

export interface EndlessBodyAnswer {
  status: number;
  body: string;
  /** Whether the server closed the connection while the client was still sending. */
  closed: boolean;
}

/**
 * Posts a body that never ends (`prefix`, then 64 kB chunks for as long as the socket takes them) and
 * keeps sending after the answer, for `closeWithinMs`: a server that reads on is still connected then.
 */
export function endlessBody(
  url: string,
  headers: Record<string, string>,
  prefix = '',
  closeWithinMs = 5_000,
): Promise<EndlessBodyAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { ...headers, 'transfer-encoding': 'chunked' },
      agent: false,
    });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sending = true;
    let closed = false;
    let answered = false;
    const pump = () => {
      while (sending && req.write(chunk));
      if (sending) req.once('drain', pump);
    };
    req.on('close', () => {
      closed = true;
      if (!answered) reject(new Error('the connection closed without an answer'));
    });
    // The server closing the connection mid-body shows up as EPIPE or ECONNRESET on the next write.
    req.on('error', () => undefined);
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('error', reject);
      res.once('end', () => {
        const body = Buffer.concat(parts).toString('utf8');
        const deadline = setTimeout(finish, closeWithinMs);
        function finish() {
          clearTimeout(deadline);
          sending = false;
          const answer = { status: res.statusCode ?? 0, body, closed };
          req.destroy();
          resolve(answer);
        }
        if (closed) finish();
        else req.once('close', finish);
      });
    });
    req.write(prefix);
    pump();
  });
}
