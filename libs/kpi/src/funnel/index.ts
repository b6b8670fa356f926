export { computeFunnel, FUNNEL_VOLUMES, type FunnelStageVolume } from './funnel-volumes';
