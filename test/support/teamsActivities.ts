/** Teams-shaped activities: the builders live in src/devtools (the benchmark uses them too). */
export { BOT, TEST_TENANT, cardActionActivity, installActivity, messageActivity, userId, type TeamsPerson } from '../../src/devtools/teamsActivities';
