/*M!999999\- enable the sandbox mode */ 

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
DROP TABLE IF EXISTS `auth_attempts`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `auth_attempts` (
  `session_id` varchar(32) NOT NULL,
  `position` int(11) NOT NULL,
  `at` bigint(20) NOT NULL,
  `mechanism` varchar(64) NOT NULL,
  `username` text NOT NULL,
  `password` text NOT NULL,
  PRIMARY KEY (`session_id`,`position`),
  KEY `auth_attempts_username` (`username`(255))
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `auth_attempts` WRITE;
/*!40000 ALTER TABLE `auth_attempts` DISABLE KEYS */;
INSERT INTO `auth_attempts` VALUES
('1K1FCX4E892MEEG79ZC',0,1796031746876116,'PLAIN','admin','hunter2'),
('1K1FCX4E892MEEG79ZC',1,1796031746876293,'LOGIN','admin','hunter2');
/*!40000 ALTER TABLE `auth_attempts` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `campaigns`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `campaigns` (
  `id` varchar(32) NOT NULL,
  `body_sha256` char(64) NOT NULL,
  `fuzzy` text NOT NULL,
  `block_size` bigint(20) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `campaigns_body` (`body_sha256`),
  KEY `campaigns_block` (`block_size`,`id`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `campaigns` WRITE;
/*!40000 ALTER TABLE `campaigns` DISABLE KEYS */;
INSERT INTO `campaigns` VALUES
('1K1FCX4E3YZMEEG79Z7','8c4ccb10cdc3e3f116aaa71c2052d1927b10319e85d49b8c5e9e972f18f7c1d5','3:zYl4NOoBL4DJ3J:ko+D7',3),
('1K1FCX4E5JBMEEG79Z9','dd4ab899cfe2c06dd591274b4dbbb253cec7d4799eba446892770419e2921c29','3:x6:x6',3),
('1K1FCX4E7N9MEEG79ZB','230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5','3:3:3',3);
/*!40000 ALTER TABLE `campaigns` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `dnsbl_checks`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `dnsbl_checks` (
  `kind` varchar(16) NOT NULL,
  `entry` varchar(255) NOT NULL,
  `list_zone` varchar(255) NOT NULL,
  `checked_at` bigint(20) NOT NULL,
  `verdict` varchar(16) NOT NULL,
  `codes` text NOT NULL,
  `meaning` text NOT NULL,
  `txt` text NOT NULL,
  KEY `dnsbl_checks_entry` (`entry`,`list_zone`,`checked_at`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `dnsbl_checks` WRITE;
/*!40000 ALTER TABLE `dnsbl_checks` DISABLE KEYS */;
/*!40000 ALTER TABLE `dnsbl_checks` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `dnsbl_state`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `dnsbl_state` (
  `kind` varchar(16) NOT NULL,
  `entry` varchar(255) NOT NULL,
  `list_zone` varchar(255) NOT NULL,
  `first_checked_at` bigint(20) NOT NULL,
  `last_checked_at` bigint(20) NOT NULL,
  `first_answer` varchar(16) NOT NULL,
  `first_answer_at` bigint(20) NOT NULL,
  `last_answer` varchar(16) NOT NULL,
  `first_listed_at` bigint(20) NOT NULL,
  `last_listed_at` bigint(20) NOT NULL,
  `codes` text NOT NULL,
  `meaning` text NOT NULL,
  `txt` text NOT NULL,
  `errors` bigint(20) NOT NULL,
  `last_error` text NOT NULL,
  PRIMARY KEY (`kind`,`entry`,`list_zone`),
  KEY `dnsbl_state_due` (`list_zone`,`last_checked_at`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `dnsbl_state` WRITE;
/*!40000 ALTER TABLE `dnsbl_state` DISABLE KEYS */;
/*!40000 ALTER TABLE `dnsbl_state` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `harvest_hours`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `harvest_hours` (
  `domain` varchar(255) NOT NULL,
  `hour_no` bigint(20) NOT NULL,
  `messages` bigint(20) NOT NULL,
  `sessions` bigint(20) NOT NULL,
  `relay_attempts` bigint(20) NOT NULL,
  `auth_attempts` bigint(20) NOT NULL,
  PRIMARY KEY (`domain`,`hour_no`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `harvest_hours` WRITE;
/*!40000 ALTER TABLE `harvest_hours` DISABLE KEYS */;
INSERT INTO `harvest_hours` VALUES
('',498897,3,4,1,2),
('trap.example',498897,3,3,0,0);
/*!40000 ALTER TABLE `harvest_hours` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `harvest_key_days`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `harvest_key_days` (
  `kind` varchar(16) NOT NULL,
  `name` varchar(255) NOT NULL,
  `day_no` bigint(20) NOT NULL,
  `first_at` bigint(20) NOT NULL,
  `last_at` bigint(20) NOT NULL,
  `messages` bigint(20) NOT NULL,
  `sessions` bigint(20) NOT NULL,
  PRIMARY KEY (`kind`,`name`,`day_no`),
  KEY `harvest_key_days_day` (`kind`,`day_no`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `harvest_key_days` WRITE;
/*!40000 ALTER TABLE `harvest_key_days` DISABLE KEYS */;
INSERT INTO `harvest_key_days` VALUES
('helo','bot.example',20787,1796031746870001,1796031746875046,3,3),
('helo','relay.example',20787,1796031746875682,1796031746875682,0,1),
('ip','127.0.0.1',20787,1796031746870001,1796031746875682,3,4),
('message_id','<v9-1@bad.example>',20787,1796031746870001,1796031746871256,1,1),
('message_id','<v9-2@bad.example>',20787,1796031746872462,1796031746872904,1,1),
('message_id','<v9-3@latin.example>',20787,1796031746874353,1796031746875046,1,1),
('recipient','anna@trap.example',20787,1796031746870001,1796031746871256,1,1),
('recipient','bert@trap.example',20787,1796031746872462,1796031746872904,1,1),
('recipient','carla@trap.example',20787,1796031746872462,1796031746872904,1,1),
('recipient','dora@trap.example',20787,1796031746874353,1796031746875046,1,1),
('sender','jorg@latin.example',20787,1796031746874353,1796031746875046,1,1),
('sender','spammer@bad.example',20787,1796031746870001,1796031746872904,2,2),
('sender','x@bad.example',20787,1796031746875682,1796031746875682,0,1),
('sender_domain','bad.example',20787,1796031746870001,1796031746875682,2,3),
('sender_domain','latin.example',20787,1796031746874353,1796031746875046,1,1),
('subject','=?utf-8?B?R3LDvMOfZQ==?= offer',20787,1796031746870001,1796031746871256,1,1),
('subject','café ÿ',20787,1796031746874353,1796031746875046,1,1),
('subject','invoice',20787,1796031746872462,1796031746872904,1,1),
('trap_domain','trap.example',20787,1796031746870001,1796031746875046,3,3),
('url_domain','bad.example',20787,1796031746871256,1796031746871256,1,0);
/*!40000 ALTER TABLE `harvest_key_days` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `harvest_keys`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `harvest_keys` (
  `kind` varchar(16) NOT NULL,
  `name` varchar(255) NOT NULL,
  `first_seen` bigint(20) NOT NULL,
  `last_seen` bigint(20) NOT NULL,
  `messages` bigint(20) NOT NULL,
  `sessions` bigint(20) NOT NULL,
  `days` bigint(20) NOT NULL,
  PRIMARY KEY (`kind`,`name`),
  KEY `harvest_keys_top` (`kind`,`messages`,`sessions`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `harvest_keys` WRITE;
/*!40000 ALTER TABLE `harvest_keys` DISABLE KEYS */;
INSERT INTO `harvest_keys` VALUES
('helo','bot.example',1796031746870001,1796031746875046,3,3,1),
('helo','relay.example',1796031746875682,1796031746875682,0,1,1),
('ip','127.0.0.1',1796031746870001,1796031746875682,3,4,1),
('message_id','<v9-1@bad.example>',1796031746870001,1796031746871256,1,1,1),
('message_id','<v9-2@bad.example>',1796031746872462,1796031746872904,1,1,1),
('message_id','<v9-3@latin.example>',1796031746874353,1796031746875046,1,1,1),
('recipient','anna@trap.example',1796031746870001,1796031746871256,1,1,1),
('recipient','bert@trap.example',1796031746872462,1796031746872904,1,1,1),
('recipient','carla@trap.example',1796031746872462,1796031746872904,1,1,1),
('recipient','dora@trap.example',1796031746874353,1796031746875046,1,1,1),
('sender','jorg@latin.example',1796031746874353,1796031746875046,1,1,1),
('sender','spammer@bad.example',1796031746870001,1796031746872904,2,2,1),
('sender','x@bad.example',1796031746875682,1796031746875682,0,1,1),
('sender_domain','bad.example',1796031746870001,1796031746875682,2,3,1),
('sender_domain','latin.example',1796031746874353,1796031746875046,1,1,1),
('subject','=?utf-8?B?R3LDvMOfZQ==?= offer',1796031746870001,1796031746871256,1,1,1),
('subject','café ÿ',1796031746874353,1796031746875046,1,1,1),
('subject','invoice',1796031746872462,1796031746872904,1,1,1),
('trap_domain','trap.example',1796031746870001,1796031746875046,3,3,1),
('url_domain','bad.example',1796031746871256,1796031746871256,1,0,1);
/*!40000 ALTER TABLE `harvest_keys` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `http_requests`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `http_requests` (
  `id` varchar(32) NOT NULL,
  `sensor` varchar(255) NOT NULL,
  `at` bigint(20) NOT NULL,
  `client_ip` varchar(64) NOT NULL,
  `client_port` int(11) NOT NULL,
  `server_ip` varchar(64) NOT NULL,
  `server_port` int(11) NOT NULL,
  `method` varchar(255) NOT NULL,
  `target` text NOT NULL,
  `version` varchar(16) NOT NULL,
  `host` text NOT NULL,
  `user_agent` text NOT NULL,
  `referer` text NOT NULL,
  `status` int(11) NOT NULL,
  `problem` text NOT NULL,
  `seed` varchar(255) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `http_requests_at` (`at`),
  KEY `http_requests_ip` (`client_ip`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `http_requests` WRITE;
/*!40000 ALTER TABLE `http_requests` DISABLE KEYS */;
/*!40000 ALTER TABLE `http_requests` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `listing_events`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `listing_events` (
  `at` bigint(20) NOT NULL,
  `list_name` varchar(64) NOT NULL,
  `entry` varchar(255) NOT NULL,
  `action` varchar(16) NOT NULL,
  `reason` text NOT NULL,
  KEY `listing_events_at` (`at`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `listing_events` WRITE;
/*!40000 ALTER TABLE `listing_events` DISABLE KEYS */;
/*!40000 ALTER TABLE `listing_events` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `listings`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `listings` (
  `list_name` varchar(64) NOT NULL,
  `entry` varchar(255) NOT NULL,
  `listed_at` bigint(20) NOT NULL,
  `reason` text NOT NULL,
  PRIMARY KEY (`list_name`,`entry`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_bin;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `listings` WRITE;
/*!40000 ALTER TABLE `listings` DISABLE KEYS */;
/*!40000 ALTER TABLE `listings` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `message_attachments`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `message_attachments` (
  `message_id` varchar(32) NOT NULL,
  `position` int(11) NOT NULL,
  `name` text NOT NULL,
  `declared_type` varchar(255) NOT NULL,
  `sniffed_type` varchar(255) NOT NULL,
  `disposition` varchar(32) NOT NULL,
  `size` bigint(20) NOT NULL,
  `md5` char(32) NOT NULL,
  `sha1` char(40) NOT NULL,
  `sha256` char(64) NOT NULL,
  PRIMARY KEY (`message_id`,`position`),
  KEY `message_attachments_sha256` (`sha256`),
  KEY `message_attachments_sha1` (`sha1`),
  KEY `message_attachments_md5` (`md5`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `message_attachments` WRITE;
/*!40000 ALTER TABLE `message_attachments` DISABLE KEYS */;
INSERT INTO `message_attachments` VALUES
('1K1FCX4E5JBMEEG79Z9',0,'inv.pdf','application/pdf','application/pdf','',9,'6446a98080f5e51ab7f0abc0e8eda635','95607b02d48a786cb786897d727114fc79814b1e','e5c62df5dab5c87b6a015ef3d43597074d1eec433b15f51aec63b8582d0e4ab4');
/*!40000 ALTER TABLE `message_attachments` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `message_details`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `message_details` (
  `id` varchar(32) NOT NULL,
  `subject` text NOT NULL,
  `from_name` text NOT NULL,
  `from_address` varchar(255) NOT NULL,
  `reply_to_name` text NOT NULL,
  `reply_to_address` text NOT NULL,
  `message_id` varchar(255) NOT NULL,
  `message_id_problem` varchar(16) NOT NULL,
  `date_utc` bigint(20) NOT NULL,
  `date_problems` varchar(64) NOT NULL,
  `first_external_ip` varchar(64) NOT NULL,
  `body_sha256` varchar(64) NOT NULL,
  `body_fuzzy` text NOT NULL,
  `campaign` varchar(32) NOT NULL,
  `problems` text NOT NULL,
  `headers` mediumtext NOT NULL,
  PRIMARY KEY (`id`),
  KEY `message_details_message_id` (`message_id`),
  KEY `message_details_campaign` (`campaign`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `message_details` WRITE;
/*!40000 ALTER TABLE `message_details` DISABLE KEYS */;
INSERT INTO `message_details` VALUES
('1K1FCX4E3YZMEEG79Z7','GrÃ¼ÃŸe offer','Shop','spammer@bad.example','','','<v9-1@bad.example>','',1793613600000000,'far_from_receipt','','8c4ccb10cdc3e3f116aaa71c2052d1927b10319e85d49b8c5e9e972f18f7c1d5','3:zYl4NOoBL4DJ3J:ko+D7','1K1FCX4E3YZMEEG79Z7','','[{\"name\":\"From\",\"raw\":\"Shop <spammer@bad.example>\",\"value\":\"Shop <spammer@bad.example>\"},{\"name\":\"Subject\",\"raw\":\"=?utf-8?B?R3LDvMOfZQ==?= offer\",\"value\":\"GrÃ¼ÃŸe offer\"},{\"name\":\"Message-ID\",\"raw\":\"<v9-1@bad.example>\",\"value\":\"<v9-1@bad.example>\"},{\"name\":\"Date\",\"raw\":\"Mon, 2 Nov 2026 10:00:00 +0000\",\"value\":\"Mon, 2 Nov 2026 10:00:00 +0000\"}]'),
('1K1FCX4E5JBMEEG79Z9','invoice','Shop','spammer@bad.example','','','<v9-2@bad.example>','',0,'missing','','dd4ab899cfe2c06dd591274b4dbbb253cec7d4799eba446892770419e2921c29','3:x6:x6','1K1FCX4E5JBMEEG79Z9','','[{\"name\":\"From\",\"raw\":\"Shop <spammer@bad.example>\",\"value\":\"Shop <spammer@bad.example>\"},{\"name\":\"Subject\",\"raw\":\"invoice\",\"value\":\"invoice\"},{\"name\":\"Message-ID\",\"raw\":\"<v9-2@bad.example>\",\"value\":\"<v9-2@bad.example>\"}]'),
('1K1FCX4E7N9MEEG79ZB','cafÃ© Ã¿','','','','','<v9-3@latin.example>','',0,'missing','','230d8358dc8e8890b4c58deeb62912ee2f20357ae92a5cc861b98e68fe31acb5','3:3:3','1K1FCX4E7N9MEEG79ZB','unencoded_8bit_header','[{\"name\":\"Subject\",\"raw\":\"cafï¿½ ï¿½\",\"value\":\"cafÃ© Ã¿\"},{\"name\":\"Message-ID\",\"raw\":\"<v9-3@latin.example>\",\"value\":\"<v9-3@latin.example>\"}]');
/*!40000 ALTER TABLE `message_details` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `message_recipients`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `message_recipients` (
  `message_id` varchar(32) NOT NULL,
  `position` int(11) NOT NULL,
  `address` varchar(1024) NOT NULL,
  `domain` varchar(1024) NOT NULL,
  `received_at` bigint(20) NOT NULL DEFAULT 0,
  PRIMARY KEY (`message_id`,`position`),
  KEY `message_recipients_address` (`address`(255)),
  KEY `message_recipients_domain` (`domain`(255)),
  KEY `message_recipients_first` (`domain`(255),`received_at`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `message_recipients` WRITE;
/*!40000 ALTER TABLE `message_recipients` DISABLE KEYS */;
INSERT INTO `message_recipients` VALUES
('1K1FCX4E3YZMEEG79Z7',0,'anna@trap.example','trap.example',1796031746871256),
('1K1FCX4E5JBMEEG79Z9',0,'bert@trap.example','trap.example',1796031746872904),
('1K1FCX4E5JBMEEG79Z9',1,'carla@trap.example','trap.example',1796031746872904),
('1K1FCX4E7N9MEEG79ZB',0,'dora@trap.example','trap.example',1796031746875046);
/*!40000 ALTER TABLE `message_recipients` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `message_urls`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `message_urls` (
  `message_id` varchar(32) NOT NULL,
  `position` int(11) NOT NULL,
  `url` text NOT NULL,
  `host` varchar(255) NOT NULL,
  `domain` varchar(255) NOT NULL,
  `source` varchar(8) NOT NULL,
  PRIMARY KEY (`message_id`,`position`),
  KEY `message_urls_host` (`host`),
  KEY `message_urls_domain` (`domain`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `message_urls` WRITE;
/*!40000 ALTER TABLE `message_urls` DISABLE KEYS */;
INSERT INTO `message_urls` VALUES
('1K1FCX4E3YZMEEG79Z7',0,'http://shop.bad.example/buy','shop.bad.example','bad.example','text');
/*!40000 ALTER TABLE `message_urls` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `messages`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `messages` (
  `id` varchar(32) NOT NULL,
  `session_id` varchar(32) NOT NULL,
  `sensor` varchar(255) NOT NULL,
  `received_at` bigint(20) NOT NULL,
  `client_ip` varchar(64) NOT NULL,
  `client_ip_bin` varbinary(16) DEFAULT NULL,
  `client_port` int(11) NOT NULL,
  `helo` text NOT NULL,
  `mail_from` varchar(1024) NOT NULL,
  `mail_from_domain` varchar(1024) NOT NULL,
  `size` bigint(20) NOT NULL,
  `sha256` varchar(64) NOT NULL,
  `spool_segment` int(11) NOT NULL,
  `spool_offset` bigint(20) NOT NULL,
  `message_id` text NOT NULL,
  `date` text NOT NULL,
  `subject` mediumtext NOT NULL,
  `from_header` text NOT NULL,
  `relay_attempt` tinyint(4) NOT NULL,
  `flags` varchar(255) NOT NULL,
  `imported` tinyint(4) NOT NULL DEFAULT 0,
  `source` text NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  KEY `messages_received` (`received_at`),
  KEY `messages_ip` (`client_ip_bin`),
  KEY `messages_from` (`mail_from`(255)),
  KEY `messages_from_domain` (`mail_from_domain`(255)),
  KEY `messages_session` (`session_id`),
  KEY `messages_message_id` (`message_id`(255),`session_id`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `messages` WRITE;
/*!40000 ALTER TABLE `messages` DISABLE KEYS */;
INSERT INTO `messages` VALUES
('1K1FCX4E3YZMEEG79Z7','1K1FCX4E2QHMEEG79Z6','v9',1796031746871256,'127.0.0.1','\0\0\0\0\0\0\0\0\0\0��\0\0',51958,'bot.example','spammer@bad.example','bad.example',186,'92b0ff9cc71a29231f35d4bba4389c6a5a62b39f8aa8561b0207017ff716b4bc',1,0,'<v9-1@bad.example>','Mon, 2 Nov 2026 10:00:00 +0000','=?utf-8?B?R3LDvMOfZQ==?= offer','Shop <spammer@bad.example>',0,'',0,''),
('1K1FCX4E5JBMEEG79Z9','1K1FCX4E54EMEEG79Z8','v9',1796031746872904,'127.0.0.1','\0\0\0\0\0\0\0\0\0\0��\0\0',51960,'bot.example','spammer@bad.example','bad.example',303,'95e306c2ad9c5d26ad48ddca530cc96c0ac37c26539fbd67ab8bfb0529e9e1f8',1,1131,'<v9-2@bad.example>','','invoice','Shop <spammer@bad.example>',0,'',0,''),
('1K1FCX4E7N9MEEG79ZB','1K1FCX4E6ZHMEEG79ZA','v9',1796031746875046,'127.0.0.1','\0\0\0\0\0\0\0\0\0\0��\0\0',51962,'bot.example','jorg@latin.example','latin.example',59,'aee29bc992d9aeadf01b6d92a070b79399b00ad8f90d377f12ac084f47efe1e2',1,2337,'<v9-3@latin.example>','','café ÿ','',0,'eight_bit',0,'');
/*!40000 ALTER TABLE `messages` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `received_hops`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `received_hops` (
  `message_id` varchar(32) NOT NULL,
  `position` int(11) NOT NULL,
  `from_name` varchar(255) NOT NULL,
  `from_ip` varchar(64) NOT NULL,
  `by_name` varchar(255) NOT NULL,
  `protocol` varchar(64) NOT NULL,
  `hop_id` varchar(255) NOT NULL,
  `at` bigint(20) NOT NULL,
  `raw` text NOT NULL,
  PRIMARY KEY (`message_id`,`position`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `received_hops` WRITE;
/*!40000 ALTER TABLE `received_hops` DISABLE KEYS */;
/*!40000 ALTER TABLE `received_hops` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `recipients`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `recipients` (
  `session_id` varchar(32) NOT NULL,
  `position` int(11) NOT NULL,
  `address` varchar(1024) NOT NULL,
  `domain` varchar(1024) NOT NULL,
  `accepted` tinyint(4) NOT NULL,
  `relay` tinyint(4) NOT NULL,
  `reply` text NOT NULL,
  PRIMARY KEY (`session_id`,`position`),
  KEY `recipients_address` (`address`(255))
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `recipients` WRITE;
/*!40000 ALTER TABLE `recipients` DISABLE KEYS */;
INSERT INTO `recipients` VALUES
('1K1FCX4E2QHMEEG79Z6',0,'anna@trap.example','trap.example',1,0,'250 2.1.5 Ok'),
('1K1FCX4E54EMEEG79Z8',0,'bert@trap.example','trap.example',1,0,'250 2.1.5 Ok'),
('1K1FCX4E54EMEEG79Z8',1,'carla@trap.example','trap.example',1,0,'250 2.1.5 Ok'),
('1K1FCX4E6ZHMEEG79ZA',0,'dora@trap.example','trap.example',1,0,'250 2.1.5 Ok'),
('1K1FCX4E892MEEG79ZC',0,'victim@gmail.com','gmail.com',0,1,'554 5.7.1 <victim@gmail.com>: Relay access denied');
/*!40000 ALTER TABLE `recipients` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `schema_migrations`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `schema_migrations` (
  `version` int(11) NOT NULL,
  `applied_at` bigint(20) NOT NULL,
  PRIMARY KEY (`version`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `schema_migrations` WRITE;
/*!40000 ALTER TABLE `schema_migrations` DISABLE KEYS */;
INSERT INTO `schema_migrations` VALUES
(1,1796031746),
(2,1796031746),
(3,1796031746),
(4,1796031746),
(5,1796031746),
(6,1796031746),
(7,1796031746),
(8,1796031746),
(9,1796031746);
/*!40000 ALTER TABLE `schema_migrations` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `seeds`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `seeds` (
  `address` varchar(255) NOT NULL,
  `domain` varchar(255) NOT NULL,
  `label` text NOT NULL,
  `kind` varchar(16) NOT NULL,
  `source` varchar(16) NOT NULL,
  `sensor` varchar(255) NOT NULL,
  `minted_at` bigint(20) NOT NULL,
  `request_id` varchar(32) NOT NULL,
  `visitor_ip` varchar(64) NOT NULL,
  `user_agent` text NOT NULL,
  PRIMARY KEY (`address`),
  KEY `seeds_minted` (`minted_at`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `seeds` WRITE;
/*!40000 ALTER TABLE `seeds` DISABLE KEYS */;
/*!40000 ALTER TABLE `seeds` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `sessions`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `sessions` (
  `id` varchar(32) NOT NULL,
  `sensor` varchar(255) NOT NULL,
  `started_at` bigint(20) NOT NULL,
  `ended_at` bigint(20) NOT NULL,
  `client_ip` varchar(64) NOT NULL,
  `client_ip_bin` varbinary(16) DEFAULT NULL,
  `client_port` int(11) NOT NULL,
  `server_ip` varchar(64) NOT NULL,
  `server_port` int(11) NOT NULL,
  `helo` text NOT NULL,
  `helo_verb` varchar(16) NOT NULL,
  `end_reason` varchar(64) NOT NULL,
  `commands` int(11) NOT NULL,
  `messages` int(11) NOT NULL,
  `errors` int(11) NOT NULL,
  `violations` mediumtext NOT NULL,
  `transcript` mediumtext NOT NULL,
  `imported` tinyint(4) NOT NULL DEFAULT 0,
  `source` text NOT NULL DEFAULT '',
  `senders` mediumtext NOT NULL DEFAULT '',
  `tls_version` varchar(32) NOT NULL DEFAULT '',
  `tls_cipher` varchar(128) NOT NULL DEFAULT '',
  `tls_sni` varchar(255) NOT NULL DEFAULT '',
  `ja3` varchar(32) NOT NULL DEFAULT '',
  `ja4` varchar(64) NOT NULL DEFAULT '',
  `ptr` varchar(255) NOT NULL DEFAULT '',
  `fcrdns` int(11) NOT NULL DEFAULT 0,
  `dns_error` varchar(255) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  KEY `sessions_started` (`started_at`),
  KEY `sessions_ip` (`client_ip_bin`),
  KEY `sessions_ja3` (`ja3`),
  KEY `sessions_ja4` (`ja4`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `sessions` WRITE;
/*!40000 ALTER TABLE `sessions` DISABLE KEYS */;
INSERT INTO `sessions` VALUES
('1K1FCX4E2QHMEEG79Z6','v9',1796031746870001,1796031746872207,'127.0.0.1','\0\0\0\0\0\0\0\0\0\0��\0\0',51958,'127.0.0.1',2597,'bot.example','EHLO','quit',5,1,0,'[]','+0.000 S: 220 mx.trap.example ESMTP Postfix (Debian/GNU)\n+0.000 C: ehlo bot.example\n+0.000 S: 250-mx.trap.example\n+0.000 S: 250-PIPELINING\n+0.000 S: 250-SIZE 10485760\n+0.000 S: 250-VRFY\n+0.000 S: 250-ENHANCEDSTATUSCODES\n+0.000 S: 250-8BITMIME\n+0.000 S: 250-DSN\n+0.000 S: 250-SMTPUTF8\n+0.000 S: 250-STARTTLS\n+0.000 S: 250-AUTH PLAIN LOGIN\n+0.000 S: 250 CHUNKING\n+0.000 C: mail FROM:<spammer@bad.example>\n+0.000 S: 250 2.1.0 Ok\n+0.000 C: rcpt TO:<anna@trap.example>\n+0.000 S: 250 2.1.5 Ok\n+0.001 C: data\n+0.001 S: 354 End data with <CR><LF>.<CR><LF>\n+0.001 C: <message: 186 bytes>\n+0.002 S: 250 2.0.0 Ok: queued as 1K1FCX4E3YZMEEG79Z7\n+0.002 C: quit\n+0.002 S: 221 2.0.0 Bye\n',0,'','spammer@bad.example','','','','','','',0,''),
('1K1FCX4E54EMEEG79Z8','v9',1796031746872462,1796031746874163,'127.0.0.1','\0\0\0\0\0\0\0\0\0\0��\0\0',51960,'127.0.0.1',2597,'bot.example','EHLO','quit',6,1,0,'[]','+0.000 S: 220 mx.trap.example ESMTP Postfix (Debian/GNU)\n+0.000 C: ehlo bot.example\n+0.000 S: 250-mx.trap.example\n+0.000 S: 250-PIPELINING\n+0.000 S: 250-SIZE 10485760\n+0.000 S: 250-VRFY\n+0.000 S: 250-ENHANCEDSTATUSCODES\n+0.000 S: 250-8BITMIME\n+0.000 S: 250-DSN\n+0.000 S: 250-SMTPUTF8\n+0.000 S: 250-STARTTLS\n+0.000 S: 250-AUTH PLAIN LOGIN\n+0.000 S: 250 CHUNKING\n+0.000 C: mail FROM:<spammer@bad.example>\n+0.000 S: 250 2.1.0 Ok\n+0.000 C: rcpt TO:<bert@trap.example>\n+0.000 S: 250 2.1.5 Ok\n+0.000 C: rcpt TO:<carla@trap.example>\n+0.000 S: 250 2.1.5 Ok\n+0.000 C: data\n+0.000 S: 354 End data with <CR><LF>.<CR><LF>\n+0.000 C: <message: 303 bytes>\n+0.001 S: 250 2.0.0 Ok: queued as 1K1FCX4E5JBMEEG79Z9\n+0.001 C: quit\n+0.001 S: 221 2.0.0 Bye\n',0,'','spammer@bad.example','','','','','','',0,''),
('1K1FCX4E6ZHMEEG79ZA','v9',1796031746874353,1796031746875509,'127.0.0.1','\0\0\0\0\0\0\0\0\0\0��\0\0',51962,'127.0.0.1',2597,'bot.example','EHLO','quit',5,1,0,'[]','+0.000 S: 220 mx.trap.example ESMTP Postfix (Debian/GNU)\n+0.000 C: ehlo bot.example\n+0.000 S: 250-mx.trap.example\n+0.000 S: 250-PIPELINING\n+0.000 S: 250-SIZE 10485760\n+0.000 S: 250-VRFY\n+0.000 S: 250-ENHANCEDSTATUSCODES\n+0.000 S: 250-8BITMIME\n+0.000 S: 250-DSN\n+0.000 S: 250-SMTPUTF8\n+0.000 S: 250-STARTTLS\n+0.000 S: 250-AUTH PLAIN LOGIN\n+0.000 S: 250 CHUNKING\n+0.000 C: mail FROM:<jorg@latin.example>\n+0.000 S: 250 2.1.0 Ok\n+0.000 C: rcpt TO:<dora@trap.example>\n+0.000 S: 250 2.1.5 Ok\n+0.000 C: data\n+0.000 S: 354 End data with <CR><LF>.<CR><LF>\n+0.000 C: <message: 59 bytes>\n+0.001 S: 250 2.0.0 Ok: queued as 1K1FCX4E7N9MEEG79ZB\n+0.001 C: quit\n+0.001 S: 221 2.0.0 Bye\n',0,'','jorg@latin.example','','','','','','',0,''),
('1K1FCX4E892MEEG79ZC','v9',1796031746875682,1796031746877003,'127.0.0.1','\0\0\0\0\0\0\0\0\0\0��\0\0',51970,'127.0.0.1',2597,'relay.example','EHLO','quit',7,0,3,'[{\"at\":1796031746876116,\"detail\":\"PLAIN AGFkbWluAGh1bnRlcjI=\",\"kind\":\"auth_attempt\"},{\"at\":1796031746876293,\"detail\":\"LOGIN YWRtaW4=\",\"kind\":\"auth_attempt\"},{\"at\":1796031746876868,\"detail\":\"victim@gmail.com\",\"kind\":\"relay_attempt\"}]','+0.000 S: 220 mx.trap.example ESMTP Postfix (Debian/GNU)\n+0.000 C: ehlo relay.example\n+0.000 S: 250-mx.trap.example\n+0.000 S: 250-PIPELINING\n+0.000 S: 250-SIZE 10485760\n+0.000 S: 250-VRFY\n+0.000 S: 250-ENHANCEDSTATUSCODES\n+0.000 S: 250-8BITMIME\n+0.000 S: 250-DSN\n+0.000 S: 250-SMTPUTF8\n+0.000 S: 250-STARTTLS\n+0.000 S: 250-AUTH PLAIN LOGIN\n+0.000 S: 250 CHUNKING\n+0.000 C: AUTH PLAIN AGFkbWluAGh1bnRlcjI=\n+0.000 S: 535 5.7.8 Error: authentication failed: authentication failure\n+0.000 C: AUTH LOGIN YWRtaW4=\n+0.000 S: 334 UGFzc3dvcmQ6\n+0.000 C: aHVudGVyMg==\n+0.000 S: 535 5.7.8 Error: authentication failed: authentication failure\n+0.000 C: mail FROM:<x@bad.example>\n+0.000 S: 250 2.1.0 Ok\n+0.001 C: rcpt TO:<victim@gmail.com>\n+0.001 S: 554 5.7.1 <victim@gmail.com>: Relay access denied\n+0.001 C: quit\n+0.001 S: 221 2.0.0 Bye\n',0,'','x@bad.example','','','','','','',0,'');
/*!40000 ALTER TABLE `sessions` ENABLE KEYS */;
UNLOCK TABLES;
DROP TABLE IF EXISTS `spool_checkpoints`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `spool_checkpoints` (
  `sensor` varchar(255) NOT NULL,
  `segment` int(11) NOT NULL,
  `offset` bigint(20) NOT NULL,
  PRIMARY KEY (`sensor`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `spool_checkpoints` WRITE;
/*!40000 ALTER TABLE `spool_checkpoints` DISABLE KEYS */;
INSERT INTO `spool_checkpoints` VALUES
('v9',1,4218);
/*!40000 ALTER TABLE `spool_checkpoints` ENABLE KEYS */;
UNLOCK TABLES;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

