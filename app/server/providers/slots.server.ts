/**
 * At most this many playground runs at once per process: each holds a connection to a provider
 * for up to PLAYGROUND_TIMEOUT_MS and costs money; past it the route answers 429.
 */
export const MAX_CONCURRENT_RUNS = 16;

function createSlots(max: number) {
  let inUse = 0;
  return {
    take() {
      if (inUse >= max) return null;
      inUse += 1;
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          inUse -= 1;
        },
      };
    },
    get inUse() {
      return inUse;
    },
  };
}

export const playgroundSlots = createSlots(MAX_CONCURRENT_RUNS);
