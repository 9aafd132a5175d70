/** User and content administration, roles, license and invalid-user screening (R-C2). */
export const AdminOperations = {} as const;
