/** Teams-shaped activities: the builders live in tools/ (the benchmark uses them too). */
export {
  ANNA,
  BEN,
  BOT,
  RITA,
  TEST_TENANT,
  activityBase,
  cardActionActivity,
  installActivity,
  installationUpdateActivity,
  messageActivity,
  postActivity,
  userId,
  type HttpAnswer,
  type TeamsPerson,
} from '../../tools/teamsActivities';
