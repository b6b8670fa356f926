export { CHANNELS, isChannel, type Channel } from '@pilotage/kpi';
