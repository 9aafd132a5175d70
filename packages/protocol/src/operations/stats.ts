/** Usage statistics (R-A1, R-A4): rollups, online now, dashboards. */
export const StatsOperations = {} as const;
