// What the CLI and the query server send each other over the socket: one JSON line each way.

export interface QueryRequest {
  /** The command line after `knr`, as typed (--kernel and --cache name the server's tree and cache). */
  argv: string[];
}

export interface QueryReply {
  /** What the command printed, in order, each line with its stream. */
  lines: Array<['out' | 'err', string]>;
  /** The command's exit status. */
  code: number;
}

/** Collects a socket's data and hands over each complete line. */
export function lineReader(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('utf8');
    let end: number;
    while ((end = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 1);
      onLine(line);
    }
  };
}
