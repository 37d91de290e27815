import { describe, expect, it } from 'vitest';
import { currentDeadline, runWithDeadline, runWithoutDeadline } from './resilience/deadline.js';
import { currentCallContext, runWithCallContext } from './telemetry/call-context.js';

const ctx = { requestId: 'req-async-context-1', traceId: 'a'.repeat(32) };

describe('one async context, a slot per concern', () => {
  it('when a deadline is set and then cleared inside a call context, then the call context stays and only the deadline goes', async () => {
    await runWithCallContext(ctx, () =>
      runWithDeadline(1_000, async () => {
        await Promise.resolve();
        expect(currentCallContext()).toEqual(ctx);
        expect(currentDeadline()?.remainingMs()).toBeGreaterThan(0);
        await runWithoutDeadline(async () => {
          await Promise.resolve();
          expect(currentDeadline()).toBeUndefined();
          expect(currentCallContext()).toEqual(ctx);
        });
        // back in the unit: its deadline again
        expect(currentDeadline()).toBeDefined();
      }),
    );
    expect(currentCallContext()).toBeUndefined();
    expect(currentDeadline()).toBeUndefined();
  });

  it('when a call context is set inside a deadline, then the deadline stays, and two concurrent units never see each other', async () => {
    const seen = await Promise.all(
      ['a', 'b'].map((id, i) =>
        runWithDeadline(1_000 * (i + 1), () =>
          runWithCallContext({ ...ctx, requestId: `req-${id}` }, async () => {
            await new Promise((resolve) => setImmediate(resolve));
            return { id: currentCallContext()?.requestId, at: currentDeadline()?.at };
          }),
        ),
      ),
    );
    expect(seen.map((s) => s.id)).toEqual(['req-a', 'req-b']);
    expect(seen[1]!.at! - seen[0]!.at!).toBeGreaterThanOrEqual(900);
  });
});
