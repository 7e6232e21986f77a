DROP TABLE collected_signatures;
DROP TABLE csv_uploads;
