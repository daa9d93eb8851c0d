package dev.livepet.simulator.kafka;

/**
 * How the simulator loop is doing, written by the loop thread after every step and read by health checks and gauges
 * on other threads.
 */
final class SimulatorStatus {
    volatile boolean ready;
    volatile long petsAlive;
    volatile long pets;
    volatile long heapBytes;
    volatile int partitionsOwned;

    /** Nothing owned, nothing ready: between memberships of the group. */
    void clear() {
        ready = false;
        petsAlive = 0;
        pets = 0;
        heapBytes = 0;
        partitionsOwned = 0;
    }
}
