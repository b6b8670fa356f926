/*
 * The worker's module lives in libs/report-production so that the demo, which runs a worker
 * in its own process, starts the same one without importing this app.
 */
export { ReportWorkerModule as WorkerModule, type ReportWorkerOptions as WorkerOptions } from '@pilotage/report-production';
