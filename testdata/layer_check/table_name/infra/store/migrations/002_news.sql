-- news tables
CREATE TABLE IF NOT EXISTS news_articles (id BIGSERIAL PRIMARY KEY);
