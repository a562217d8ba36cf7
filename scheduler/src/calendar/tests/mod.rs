mod cron;
