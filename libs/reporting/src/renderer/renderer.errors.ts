export const REPORT_RENDER_ERROR_CODES = ['CHROMIUM_NOT_FOUND', 'QUEUE_FULL', 'RENDER_TIMEOUT', 'RENDERER_CLOSED'] as const;
export type ReportRenderErrorCode = (typeof REPORT_RENDER_ERROR_CODES)[number];

/** Base of the renderer's errors: callers branch on `code`, never on the message. */
export class ReportRenderError extends Error {
  constructor(
    readonly code: ReportRenderErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ChromiumNotFoundError extends ReportRenderError {
  constructor(readonly tried: readonly string[]) {
    super(
      'CHROMIUM_NOT_FOUND',
      `Chromium was not found. Tried: ${tried.join(', ')}. ` +
        'Install it (Debian: `apt-get install -y chromium-headless-shell`, or `chromium`) or set CHROMIUM_PATH to a Chromium or Chrome executable.',
    );
  }
}

export class RenderQueueFullError extends ReportRenderError {
  constructor(readonly limit: number) {
    super('QUEUE_FULL', `The PDF render queue is full (${limit} renders waiting); retry later.`);
  }
}

export class RenderTimeoutError extends ReportRenderError {
  constructor(readonly timeoutMs: number) {
    super('RENDER_TIMEOUT', `The PDF render did not finish within ${timeoutMs} ms.`);
  }
}

export class RendererClosedError extends ReportRenderError {
  constructor() {
    super('RENDERER_CLOSED', 'The PDF renderer is closed.');
  }
}
