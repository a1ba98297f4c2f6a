export type { ConnectionModel } from '../pagination';
