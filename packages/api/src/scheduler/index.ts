export { createScheduler, schedulerIntervalMs, DEFAULT_JOBS, type Scheduler, type SchedulerJob, type SchedulerOptions } from './scheduler.js';
