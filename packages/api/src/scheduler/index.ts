export { createScheduler, DEFAULT_JOBS, type Scheduler, type SchedulerJob, type SchedulerOptions } from './scheduler.js';
