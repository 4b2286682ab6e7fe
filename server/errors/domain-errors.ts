// What a service says when it refuses a request, free of any transport. A service names the kind of
// refusal and, when the refusal is about one input, that input's path inside the call ("viewerId",
// "scores[3].memberId", "" for the input as a whole). Each edge maps the kind once — to an HTTP status
// (server/http/errors.ts), a gRPC status (server/grpc/grpc-server.ts), a GraphQL error
// (server/graphql/error-formatter.ts) — and places the field where that edge's caller sent it
// (`body.viewerId`, `querystring.viewerId`, or just `viewerId` over gRPC).

export type DomainErrorKind =
  /** The input is malformed or contradicts itself (HTTP 400). */
  | 'malformed'
  /** The input is well formed but names things that cannot be used (HTTP 422). */
  | 'invalid'
  | 'forbidden'
  | 'not_found'
  /** The request conflicts with the current state; re-read and retry (HTTP 409). */
  | 'conflict'
  /** The thing existed and is gone for good (HTTP 410). */
  | 'gone'
  | 'too_large'
  | 'unsupported_media_type'
  /** The engine cannot serve this right now for a reason an operator fixes (HTTP 503, message shown). */
  | 'unavailable'
  /** A service the engine depends on failed (HTTP 502). */
  | 'upstream_failed';

/**
 * Where the refusal points: `field` is a path into the caller's input, placed by each edge;
 * `topic` is anything else the message is about (a setting, a header, another member), shown as is.
 */
export type ErrorSubject = ({ field: string } | { topic: string } | Record<string, never>) & {
  /** What went wrong underneath, for the log only (an upstream's own answer); never shown to the caller. */
  cause?: unknown;
};

export class DomainError extends Error {
  readonly field: string | undefined;
  readonly topic: string | undefined;

  constructor(
    readonly kind: DomainErrorKind,
    /** Written for the caller, without the subject: "must be in the past". */
    readonly problem: string,
    subject: ErrorSubject = {},
  ) {
    const field = 'field' in subject ? subject.field : undefined;
    const topic = 'topic' in subject ? subject.topic : undefined;
    const about = field ?? topic;
    // '' is the whole input: only an edge knows what to call that (`body`, `input`, `request`).
    super(about === undefined || about === '' ? problem : `${about}: ${problem}`, { cause: subject.cause });
    this.name = 'DomainError';
    this.field = field;
    this.topic = topic;
  }

  /** The message with the field placed by an edge (e.g. `body.viewerId: …`). */
  messageWithField(placeField: (field: string) => string): string {
    if (this.field === undefined) return this.message;
    return `${placeField(this.field)}: ${this.problem}`;
  }
}

export const malformed = (field: string, problem: string) => new DomainError('malformed', problem, { field });
export const invalid = (field: string, problem: string) => new DomainError('invalid', problem, { field });
export const forbidden = (field: string, problem: string) => new DomainError('forbidden', problem, { field });
export const notFound = (field: string, problem: string) => new DomainError('not_found', problem, { field });
export const conflict = (field: string, problem: string) => new DomainError('conflict', problem, { field });
export const gone = (field: string, problem: string) => new DomainError('gone', problem, { field });

/** 503 with a message the caller can act on ("no live ranking model; train or promote one"). */
export class UnavailableError extends DomainError {
  constructor(message: string) {
    super('unavailable', message);
    this.name = 'UnavailableError';
  }
}
