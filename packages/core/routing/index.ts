export type { Router, RoutePlan, RouteView, SlotTarget, SlotView, SlotAdmin, SlotHealth } from './router.ts';
export { validatePlan, parseAddress, ROUTE_NAME, type SlotAddress } from './route-plan.ts';
export { planSwitch, type SwitchStep } from './switch-steps.ts';
export { servingWeight, trafficShares, describeTraffic } from './route-view.ts';
