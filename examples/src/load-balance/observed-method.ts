import { MethodClient, type RequestOptions } from 'moonpool';

/** Told of each attempt, synchronously, as the load balancer makes it. */
export type AttemptObserver<Req> = (request: Req) => void;

/**
 * A typed method client that reports each request before sending it. `loadBalance` calls the
 * target's delivery mode synchronously after choosing it, so the observer runs in the same instant
 * as the choice: what it reads from the client's failure monitor is what the choice saw.
 * It sends through the same endpoint (and so the same transport) as `base`, and validates replies
 * with `check` as a typed client does.
 */
export class ObservedMethod<Req, Res> extends MethodClient<Req, Res> {
  constructor(
    base: MethodClient<Req, Res>,
    check: (value: unknown) => Promise<Res>,
    private readonly observe: AttemptObserver<Req>,
  ) {
    super(base.endpoint, check);
  }

  override tryGetReply(request: Req, options?: RequestOptions): Promise<Res> {
    this.observe(request);
    return super.tryGetReply(request, options);
  }

  override getReply(request: Req, options?: RequestOptions): Promise<Res> {
    this.observe(request);
    return super.getReply(request, options);
  }

  override getReplyUnlessFailedFor(request: Req, failedForMs: number, options?: RequestOptions): Promise<Res> {
    this.observe(request);
    return super.getReplyUnlessFailedFor(request, failedForMs, options);
  }
}
