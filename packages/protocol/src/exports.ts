/** Exports of users and behaviour data, friend recommendation, system settings, API catalogue (R-A1, R-R1). */
export {};
