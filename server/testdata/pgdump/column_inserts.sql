--
-- PostgreSQL database dump
--

\restrict Hv9e5wdgFpKQsS1NW0MyoeJ3gEHE2IRDmdEuKiyDthlYH3WXX57rEUlQn4PlGS5

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: inventory; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA inventory;


ALTER SCHEMA inventory OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: items; Type: TABLE; Schema: inventory; Owner: postgres
--

CREATE TABLE inventory.items (
    sku character varying(20) NOT NULL,
    title text NOT NULL,
    stock integer DEFAULT 0 NOT NULL,
    weight_kg numeric(6,3)
);


ALTER TABLE inventory.items OWNER TO postgres;

--
-- Name: TABLE items; Type: COMMENT; Schema: inventory; Owner: postgres
--

COMMENT ON TABLE inventory.items IS 'stock keeping units';


--
-- Name: customers; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.customers (
    id integer NOT NULL,
    email character varying(120) NOT NULL,
    name text,
    active boolean DEFAULT true NOT NULL,
    signup date DEFAULT '2024-01-01'::date,
    created_at timestamp with time zone DEFAULT '2024-01-01 00:00:00+00'::timestamp with time zone NOT NULL,
    ext_id uuid,
    profile jsonb,
    avatar bytea,
    CONSTRAINT customers_email_check CHECK (((email)::text ~~ '%@%'::text))
);


ALTER TABLE public.customers OWNER TO postgres;

--
-- Name: TABLE customers; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.customers IS 'people who buy things';


--
-- Name: COLUMN customers.email; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON COLUMN public.customers.email IS 'login address';


--
-- Name: orders; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.orders (
    id bigint NOT NULL,
    customer_id integer NOT NULL,
    total numeric(10,2) DEFAULT 0 NOT NULL,
    status character varying(16) DEFAULT 'new'::character varying NOT NULL,
    note text,
    CONSTRAINT orders_total_check CHECK ((total >= (0)::numeric))
);


ALTER TABLE public.orders OWNER TO postgres;

--
-- Name: customer_totals; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.customer_totals AS
 SELECT c.id,
    c.email,
    count(o.id) AS orders,
    COALESCE(sum(o.total), (0)::numeric) AS spent
   FROM (public.customers c
     LEFT JOIN public.orders o ON ((o.customer_id = c.id)))
  GROUP BY c.id, c.email;


ALTER TABLE public.customer_totals OWNER TO postgres;

--
-- Name: customers_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.customers_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.customers_id_seq OWNER TO postgres;

--
-- Name: customers_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.customers_id_seq OWNED BY public.customers.id;


--
-- Name: events; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.events (
    id bigint NOT NULL,
    kind text NOT NULL,
    at timestamp with time zone NOT NULL
);


ALTER TABLE public.events OWNER TO postgres;

--
-- Name: events_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: order_lines; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.order_lines (
    order_id bigint NOT NULL,
    line_no integer NOT NULL,
    sku character varying(20) NOT NULL,
    qty integer NOT NULL,
    price numeric(8,2) NOT NULL,
    CONSTRAINT order_lines_qty_check CHECK ((qty > 0))
);


ALTER TABLE public.order_lines OWNER TO postgres;

--
-- Name: orders_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.orders_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.orders_id_seq OWNER TO postgres;

--
-- Name: orders_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;


--
-- Name: pgbench_accounts; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.pgbench_accounts (
    aid integer NOT NULL,
    bid integer,
    abalance integer,
    filler character(84)
)
WITH (fillfactor='100');


ALTER TABLE public.pgbench_accounts OWNER TO postgres;

--
-- Name: pgbench_branches; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.pgbench_branches (
    bid integer NOT NULL,
    bbalance integer,
    filler character(88)
)
WITH (fillfactor='100');


ALTER TABLE public.pgbench_branches OWNER TO postgres;

--
-- Name: pgbench_history; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.pgbench_history (
    tid integer,
    bid integer,
    aid integer,
    delta integer,
    mtime timestamp without time zone,
    filler character(22)
);


ALTER TABLE public.pgbench_history OWNER TO postgres;

--
-- Name: pgbench_tellers; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.pgbench_tellers (
    tid integer NOT NULL,
    bid integer,
    tbalance integer,
    filler character(84)
)
WITH (fillfactor='100');


ALTER TABLE public.pgbench_tellers OWNER TO postgres;

--
-- Name: tags; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.tags (
    id integer NOT NULL,
    label character varying(30) NOT NULL
);


ALTER TABLE public.tags OWNER TO postgres;

--
-- Name: tags_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.tags ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.tags_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: customers id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.customers ALTER COLUMN id SET DEFAULT nextval('public.customers_id_seq'::regclass);


--
-- Name: orders id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);


--
-- Data for Name: items; Type: TABLE DATA; Schema: inventory; Owner: postgres
--

INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-0', 'Item 0', 0, NULL);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-1', 'Item 1', 3, 0.125);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-2', 'Item 2', 6, 0.250);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-3', 'Item 3', 9, 0.375);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-4', 'Item 4', 12, 0.500);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-5', 'Item 5', 15, 0.625);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-6', 'Item 6', 18, 0.750);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-7', 'Item 7', 21, 0.875);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-8', 'Item 8', 24, 1.000);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-9', 'Item 9', 27, NULL);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-10', 'Item 10', 30, 1.250);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-11', 'Item 11', 33, 1.375);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-12', 'Item 12', 36, 1.500);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-13', 'Item 13', 39, 1.625);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-14', 'Item 14', 42, 1.750);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-15', 'Item 15', 45, 1.875);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-16', 'Item 16', 48, 2.000);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-17', 'Item 17', 51, 2.125);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-18', 'Item 18', 54, NULL);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-19', 'Item 19', 57, 2.375);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-20', 'Item 20', 60, 2.500);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-21', 'Item 21', 63, 2.625);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-22', 'Item 22', 66, 2.750);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-23', 'Item 23', 69, 2.875);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-24', 'Item 24', 72, 3.000);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-25', 'Item 25', 75, 3.125);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-26', 'Item 26', 78, 3.250);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-27', 'Item 27', 81, NULL);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-28', 'Item 28', 84, 3.500);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-29', 'Item 29', 87, 3.625);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-30', 'Item 30', 90, 3.750);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-31', 'Item 31', 93, 3.875);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-32', 'Item 32', 96, 4.000);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-33', 'Item 33', 99, 4.125);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-34', 'Item 34', 102, 4.250);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-35', 'Item 35', 105, 4.375);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-36', 'Item 36', 108, NULL);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-37', 'Item 37', 111, 4.625);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-38', 'Item 38', 114, 4.750);
INSERT INTO inventory.items (sku, title, stock, weight_kg) VALUES ('SKU-39', 'Item 39', 117, 4.875);


--
-- Data for Name: customers; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (1, 'user1@example.com', 'User 1 O''Neil	tab', true, '2024-01-02', '2024-01-01 13:07:00+00', 'a9f7e979-65d6-cf79-9a52-9102a973b8b9', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x8a8bb7cd343aa2ad99b7d762030857a2');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (2, 'user2@example.com', 'User 2 O''Neil	tab', true, '2024-01-03', '2024-01-01 14:14:00+00', '9ab62b5e-f34a-9854-38bf-df7ee0102229', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x693a9fdd4c2fd0700968fba0d07ff3c0');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (3, 'user3@example.com', 'User 3 O''Neil	tab', false, '2024-01-04', '2024-01-01 15:21:00+00', '0a3d7213-4fb3-d6c0-24db-4c510bc1605b', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x9d607a663f3e9b0a90c3c8d4426640dc');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (4, 'user4@example.com', 'User 4 O''Neil	tab', true, '2024-01-05', '2024-01-01 16:28:00+00', 'cb7524d7-9232-7e4c-443d-619de5c71a7a', NULL, '\x894f782a148b33af1e39a0efed952d69');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (5, 'user5@example.com', 'User 5 O''Neil	tab', true, '2024-01-06', '2024-01-01 17:35:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x32cfe6c19200b67afb7c3d0e1c43eadb');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (6, 'user6@example.com', 'User 6 O''Neil	tab', false, '2024-01-07', '2024-01-01 18:42:00+00', '5a34d1ed-aea4-e328-71b6-f7503ad4727e', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (7, 'user7@example.com', NULL, true, '2024-01-08', '2024-01-01 19:49:00+00', '4d3a21d8-c684-c09c-19b9-3be911827fd5', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xc692562238d8c12c32434c50b96d56ae');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (8, 'user8@example.com', 'User 8 O''Neil	tab', true, '2024-01-09', '2024-01-01 20:56:00+00', '7cd1d2b5-4911-b95b-06b1-c423bd551f2f', NULL, '\x68c42382c8b93fc29c2fcb6a444aeda5');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (9, 'user9@example.com', 'User 9 O''Neil	tab', false, '2024-01-10', '2024-01-01 22:03:00+00', 'a3098322-f75f-2a3e-6616-4d0fb830cf5f', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x3d1e97d18e692ca5484d1abfe617b6c1');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (10, 'user10@example.com', 'User 10 O''Neil	tab', true, '2024-01-11', '2024-01-01 23:10:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x48881d728a96516e0e886c09603e7eee');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (11, 'user11@example.com', 'User 11 O''Neil	tab', true, '2024-01-12', '2024-01-02 00:17:00+00', '99c91b97-9d23-4058-c005-ea53bf19594d', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x11340131feec68e7ca463f960f0f341c');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (12, 'user12@example.com', 'User 12 O''Neil	tab', false, '2024-01-13', '2024-01-02 01:24:00+00', '5c385d6d-334e-a0a9-301b-d28ea067aba7', NULL, NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (13, 'user13@example.com', 'User 13 O''Neil	tab', true, '2024-01-14', '2024-01-02 02:31:00+00', 'd0a4f198-4f1e-e1f7-64a0-4b6536d96b1b', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xd161425547c059ba556e30cf612fb974');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (14, 'user14@example.com', NULL, true, '2024-01-15', '2024-01-02 03:38:00+00', '0ae79a56-a8ff-ad7b-e7d2-7b4ab266a912', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x2169184650ee32062f115ec35faf6c9b');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (15, 'user15@example.com', 'User 15 O''Neil	tab', false, '2024-01-16', '2024-01-02 04:45:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x9c8a0632757d66bb9ae533b2d0a7a0fa');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (16, 'user16@example.com', 'User 16 O''Neil	tab', true, '2024-01-17', '2024-01-02 05:52:00+00', 'e77aa1b8-a24d-a967-4c86-f83bb588777b', NULL, '\xd7b24e66a3c4ea77a4a224995bc3899a');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (17, 'user17@example.com', 'User 17 O''Neil	tab', true, '2024-01-18', '2024-01-02 06:59:00+00', '4d41ca3a-e901-a60c-9d82-d1eb80b58661', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x62a0e3d0e8d9db40e64419904a137c32');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (18, 'user18@example.com', 'User 18 O''Neil	tab', false, '2024-01-19', '2024-01-02 08:06:00+00', '856deecf-45fa-4ace-6b5b-49bd4ad54acf', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (19, 'user19@example.com', 'User 19 O''Neil	tab', true, '2024-01-20', '2024-01-02 09:13:00+00', '647e24fd-bfcb-c54e-7dbb-98e11c45059b', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x7db183c15847634a301761dc8b88e035');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (20, 'user20@example.com', 'User 20 O''Neil	tab', true, '2024-01-21', '2024-01-02 10:20:00+00', NULL, NULL, '\x550748639a1675e04db3d8a4135094a0');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (21, 'user21@example.com', NULL, false, '2024-01-22', '2024-01-02 11:27:00+00', 'a4157eab-f485-18bb-1893-51bcf3b52e21', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\xa126f3646da124e2839a6bbbd2f1400f');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (22, 'user22@example.com', 'User 22 O''Neil	tab', true, '2024-01-23', '2024-01-02 12:34:00+00', '99ff292e-2379-4ad8-43b5-d75c459ed289', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x6458f3bfa6486a2be61b9fb6f37645c8');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (23, 'user23@example.com', 'User 23 O''Neil	tab', true, '2024-01-24', '2024-01-02 13:41:00+00', 'de118786-b5cd-dc31-88d0-4a75e15d854e', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\xe4a7fc9521d0b60fcbb982035b644b5e');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (24, 'user24@example.com', 'User 24 O''Neil	tab', false, '2024-01-25', '2024-01-02 14:48:00+00', 'f13904a0-edbe-91cc-85cf-d7b824d9b801', NULL, NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (25, 'user25@example.com', 'User 25 O''Neil	tab', true, '2024-01-26', '2024-01-02 15:55:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x7850737a42d9d21cac6fee3958d95f5f');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (26, 'user26@example.com', 'User 26 O''Neil	tab', true, '2024-01-27', '2024-01-02 17:02:00+00', '8557acbd-605d-ce2d-0a61-06c47bcd2338', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\xbbf2466e744a50035030927d7283f2b3');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (27, 'user27@example.com', 'User 27 O''Neil	tab', false, '2024-01-28', '2024-01-02 18:09:00+00', 'f1852259-718f-260c-a674-02fd8acb42f8', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x07ae153a4f9e087201edbdd5a4c12d5e');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (28, 'user28@example.com', NULL, true, '2024-01-29', '2024-01-02 19:16:00+00', '074d5d17-d831-582f-fcaf-1edde78d2adb', NULL, '\x838ff8b78dfbe82b2bc6c681f0cb390f');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (29, 'user29@example.com', 'User 29 O''Neil	tab', true, '2024-01-30', '2024-01-02 20:23:00+00', '081b16bc-d52a-14c8-66fe-2ab1ae3c065a', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x2a097c8e4ebabb754f6e346bedd967b4');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (30, 'user30@example.com', 'User 30 O''Neil	tab', false, '2024-01-31', '2024-01-02 21:30:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (31, 'user31@example.com', 'User 31 O''Neil	tab', true, '2024-02-01', '2024-01-02 22:37:00+00', '048b8213-11c9-daae-12c9-918632dd2838', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xa1ce2b3db8ca6d0a488dcda486570695');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (32, 'user32@example.com', 'User 32 O''Neil	tab', true, '2024-02-02', '2024-01-02 23:44:00+00', '8c6aa806-8da0-e0de-0869-1b91863f11f6', NULL, '\x336efc5a2cdd35d98e8aa99afe35af86');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (33, 'user33@example.com', 'User 33 O''Neil	tab', false, '2024-02-03', '2024-01-03 00:51:00+00', 'feb6b720-fb72-a2c9-9f74-0c24d7f6e368', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x3758981810f104dacd144b2df63d5199');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (34, 'user34@example.com', 'User 34 O''Neil	tab', true, '2024-02-04', '2024-01-03 01:58:00+00', 'f621871c-9066-52d6-3f7a-87d50cc81bb5', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x88676f41f30573cd40803b102b052cc5');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (35, 'user35@example.com', NULL, true, '2024-02-05', '2024-01-03 03:05:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x8807ea68c5175d0173220bec0542d2e9');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (36, 'user36@example.com', 'User 36 O''Neil	tab', false, '2024-02-06', '2024-01-03 04:12:00+00', '0605032a-fdb4-bb8c-dc5e-3e969c33d1dd', NULL, NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (37, 'user37@example.com', 'User 37 O''Neil	tab', true, '2024-02-07', '2024-01-03 05:19:00+00', '61adaa58-9829-c01f-eb3b-f7df563a94c6', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xe97ee6d270685ce8f551bf2353027d5b');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (38, 'user38@example.com', 'User 38 O''Neil	tab', true, '2024-02-08', '2024-01-03 06:26:00+00', '628cc8fc-94ab-4ada-d79e-586b32c479ca', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\xe174b03de89decac4d4ed2da3ba1f5df');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (39, 'user39@example.com', 'User 39 O''Neil	tab', false, '2024-02-09', '2024-01-03 07:33:00+00', '8cecbb71-7800-d07e-6b36-ab8ae1b04f5c', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x8056ac6ddcb0f14b019219391c1159c7');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (40, 'user40@example.com', 'User 40 O''Neil	tab', true, '2024-02-10', '2024-01-03 08:40:00+00', NULL, NULL, '\x13237ffa3d4f4344862d955976629150');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (41, 'user41@example.com', 'User 41 O''Neil	tab', true, '2024-02-11', '2024-01-03 09:47:00+00', 'cf84131f-9058-9f7d-06ad-2f55ade6765a', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x1821e85b82eef4439c2f8c3fc98d4e90');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (42, 'user42@example.com', NULL, false, '2024-02-12', '2024-01-03 10:54:00+00', 'e8536def-9dd3-f9ce-c97d-1b07285ab8f9', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (43, 'user43@example.com', 'User 43 O''Neil	tab', true, '2024-02-13', '2024-01-03 12:01:00+00', 'caee5b6a-c87e-26d8-93dc-9f44f6f2a50c', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x403aee4f97916bc68b21f4dc89a5fba8');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (44, 'user44@example.com', 'User 44 O''Neil	tab', true, '2024-02-14', '2024-01-03 13:08:00+00', '18a2ed0b-bf9c-d483-570d-d5b9563bc32c', NULL, '\xa74c3599ba5233f66e6d90523e0d7975');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (45, 'user45@example.com', 'User 45 O''Neil	tab', false, '2024-02-15', '2024-01-03 14:15:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x306754ce45dc3a2441a1828dcf3fe238');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (46, 'user46@example.com', 'User 46 O''Neil	tab', true, '2024-02-16', '2024-01-03 15:22:00+00', '2eee138f-866e-d899-3971-164cf969590d', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xe77fac5cdb5092a34b13bb2cb29efe5a');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (47, 'user47@example.com', 'User 47 O''Neil	tab', true, '2024-02-17', '2024-01-03 16:29:00+00', '8be96794-c21e-b6fc-5fa9-f29207d3fa6c', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x26c91801f25caaf4bf5db26f6ad5802b');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (48, 'user48@example.com', 'User 48 O''Neil	tab', false, '2024-02-18', '2024-01-03 17:36:00+00', 'f3024e1e-60e8-aa70-f7c5-9b4287de9ef0', NULL, NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (49, 'user49@example.com', NULL, true, '2024-02-19', '2024-01-03 18:43:00+00', 'b7163ce9-548a-e82a-700b-48362cebc548', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x51f8c0f57b4592c35b43106399041035');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (50, 'user50@example.com', 'User 50 O''Neil	tab', true, '2024-02-20', '2024-01-03 19:50:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\xe0af5865757b3f2a82967f6177aae43d');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (51, 'user51@example.com', 'User 51 O''Neil	tab', false, '2024-02-21', '2024-01-03 20:57:00+00', '70283c4b-b47a-4134-e743-88d71bf76169', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x83fe31dcd5404e2cc97241c2e53ad54b');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (52, 'user52@example.com', 'User 52 O''Neil	tab', true, '2024-02-22', '2024-01-03 22:04:00+00', '3f7d7ba7-2a68-7297-5f5b-d3f2254ab238', NULL, '\x57c98783377c2ffe8f993be770162bfa');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (53, 'user53@example.com', 'User 53 O''Neil	tab', true, '2024-02-23', '2024-01-03 23:11:00+00', '61c9e7fb-675f-0221-8005-d1e319984736', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x8325de050af8fc2dc0d0fbcee36fe809');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (54, 'user54@example.com', 'User 54 O''Neil	tab', false, '2024-02-24', '2024-01-04 00:18:00+00', '9b432723-daa1-6652-e28d-1ff06288ff52', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (55, 'user55@example.com', 'User 55 O''Neil	tab', true, '2024-02-25', '2024-01-04 01:25:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x1b5adc327828380e2664b544e10da163');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (56, 'user56@example.com', NULL, true, '2024-02-26', '2024-01-04 02:32:00+00', '15faa2ce-0bb8-fbb9-ceb5-7b38bc3abd6c', NULL, '\x83bbec8bc6092eeaef162a47125cfcf9');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (57, 'user57@example.com', 'User 57 O''Neil	tab', false, '2024-02-27', '2024-01-04 03:39:00+00', '9620f1ce-f1aa-d37d-8869-47d4c7b5bd95', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\xf5aca9cfa8da698453a961a1b873f2e7');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (58, 'user58@example.com', 'User 58 O''Neil	tab', true, '2024-02-28', '2024-01-04 04:46:00+00', '0fe197f2-ce4d-d36d-6139-a893a43a8acd', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x83e1a2761dbec035ee3d11d05cf161eb');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (59, 'user59@example.com', 'User 59 O''Neil	tab', true, '2024-02-29', '2024-01-04 05:53:00+00', '4fbda18b-0514-e146-7ce0-10763b9f863d', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\xb31c8fa57872f91daccc860b27f51af6');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (60, 'user60@example.com', 'User 60 O''Neil	tab', false, '2024-03-01', '2024-01-04 07:00:00+00', NULL, NULL, NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (61, 'user61@example.com', 'User 61 O''Neil	tab', true, '2024-03-02', '2024-01-04 08:07:00+00', 'c51a2a82-3244-943c-a052-1e0befe846eb', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xe7e5c2e2d0fad407a12c0a890c0d0133');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (62, 'user62@example.com', 'User 62 O''Neil	tab', true, '2024-03-03', '2024-01-04 09:14:00+00', '01162b46-e26c-96e4-2271-e3e298d1c2b9', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\xece0a90e0ac82a7762bd413b3b8e081a');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (63, 'user63@example.com', NULL, false, '2024-03-04', '2024-01-04 10:21:00+00', '2f11c63d-fd08-63b7-d351-968f1420d9fb', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x5a7d0f68a2f495e13059acdb53b828fa');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (64, 'user64@example.com', 'User 64 O''Neil	tab', true, '2024-03-05', '2024-01-04 11:28:00+00', '88da64cd-4516-4153-e9f3-01457d992eb2', NULL, '\xdf2aa5111f6e4eff7d335824974ba840');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (65, 'user65@example.com', 'User 65 O''Neil	tab', true, '2024-03-06', '2024-01-04 12:35:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x80c4bc3f61011207f67e4dafd60d0432');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (66, 'user66@example.com', 'User 66 O''Neil	tab', false, '2024-03-07', '2024-01-04 13:42:00+00', '178c7757-b433-81bf-43d0-078a84a586ac', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (67, 'user67@example.com', 'User 67 O''Neil	tab', true, '2024-03-08', '2024-01-04 14:49:00+00', '17b9d2ad-2691-d639-cacb-18811c7f1add', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x6aaef7dcd74846a3eed100343d4c9ff1');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (68, 'user68@example.com', 'User 68 O''Neil	tab', true, '2024-03-09', '2024-01-04 15:56:00+00', '1393a6c7-cd0f-ec71-746b-447f7c0568d4', NULL, '\x89040245036dd537f7de0ef773bc49be');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (69, 'user69@example.com', 'User 69 O''Neil	tab', false, '2024-03-10', '2024-01-04 17:03:00+00', 'd963bc00-293d-e22f-1617-14635ba2ac3c', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x8ee89c1db1ed6e237d935756f94f2785');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (70, 'user70@example.com', NULL, true, '2024-03-11', '2024-01-04 18:10:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x28fc5ccbacecd67043bf64aa94618460');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (71, 'user71@example.com', 'User 71 O''Neil	tab', true, '2024-03-12', '2024-01-04 19:17:00+00', '3fc9032b-5731-28db-4b3e-f9220411f64c', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\xee7733547fbb26cdfeb9b6a4f84231b4');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (72, 'user72@example.com', 'User 72 O''Neil	tab', false, '2024-03-13', '2024-01-04 20:24:00+00', 'bdc08be6-2d4a-2d46-dcfd-160b6359fe65', NULL, NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (73, 'user73@example.com', 'User 73 O''Neil	tab', true, '2024-03-14', '2024-01-04 21:31:00+00', '0d8e64dd-6bb3-dfed-a04c-860bc14953cf', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x1efaf9b6cc3ccfb96ce9f57d68c55599');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (74, 'user74@example.com', 'User 74 O''Neil	tab', true, '2024-03-15', '2024-01-04 22:38:00+00', '396b9e79-fc84-38e9-6d20-ac292944ced3', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\xb912f0e9ed7eb23252370c7a588a0004');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (75, 'user75@example.com', 'User 75 O''Neil	tab', false, '2024-03-16', '2024-01-04 23:45:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x21b42b828d22497fd6261f8b8cac0c31');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (76, 'user76@example.com', 'User 76 O''Neil	tab', true, '2024-03-17', '2024-01-05 00:52:00+00', '0706dfd8-b860-9ec0-635c-4369b59d699f', NULL, '\x28c0306b74ea36caccd5e7a766707577');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (77, 'user77@example.com', NULL, true, '2024-03-18', '2024-01-05 01:59:00+00', '56fbb10d-6723-3396-fd60-3a5ab2893990', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x068815e086d67013e8300188e50513e8');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (78, 'user78@example.com', 'User 78 O''Neil	tab', false, '2024-03-19', '2024-01-05 03:06:00+00', '4896d267-6d51-661d-891b-d53006e3dad2', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (79, 'user79@example.com', 'User 79 O''Neil	tab', true, '2024-03-20', '2024-01-05 04:13:00+00', '27aa458f-2b6b-f800-f26b-903af42007a9', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xc9ceacdf41060f6acff522f9c338ba77');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (80, 'user80@example.com', 'User 80 O''Neil	tab', true, '2024-03-21', '2024-01-05 05:20:00+00', NULL, NULL, '\xcb09a716ffe7c519c744b31f6076cce9');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (81, 'user81@example.com', 'User 81 O''Neil	tab', false, '2024-03-22', '2024-01-05 06:27:00+00', 'ecca7610-3660-ab0c-1b54-659785293726', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x5c44f18b762ccfaa619598db2838c67a');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (82, 'user82@example.com', 'User 82 O''Neil	tab', true, '2024-03-23', '2024-01-05 07:34:00+00', '44bf7b99-3387-6f77-884a-0ab47dac319a', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xbeb27309c9e7f4ae69f810d52e37cb38');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (83, 'user83@example.com', 'User 83 O''Neil	tab', true, '2024-03-24', '2024-01-05 08:41:00+00', '4e5f69b8-8627-7c14-17bf-b1fed7d7dd99', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x3dc307c6d55f1dfef76951ff98eef358');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (84, 'user84@example.com', NULL, false, '2024-03-25', '2024-01-05 09:48:00+00', '65d0efc4-10cb-372d-e67a-7c9d1bc95f15', NULL, NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (85, 'user85@example.com', 'User 85 O''Neil	tab', true, '2024-03-26', '2024-01-05 10:55:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xb90a692ce8297a27fba811452146779e');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (86, 'user86@example.com', 'User 86 O''Neil	tab', true, '2024-03-27', '2024-01-05 12:02:00+00', '898a87d1-176a-abe8-f6af-d67c7afb5cb0', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\xaad1b69cc02cd49456b00a88a0740d90');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (87, 'user87@example.com', 'User 87 O''Neil	tab', false, '2024-03-28', '2024-01-05 13:09:00+00', '904971a6-dbbe-e432-10d1-3da70d841cec', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x56272a9b00af450de3a584868e9fcc37');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (88, 'user88@example.com', 'User 88 O''Neil	tab', true, '2024-03-29', '2024-01-05 14:16:00+00', '028938ac-39bd-53b0-85c4-584c2143f4fb', NULL, '\x6ff2a4c94dc48193eb6d5224f31ae3c4');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (89, 'user89@example.com', 'User 89 O''Neil	tab', true, '2024-03-30', '2024-01-05 15:23:00+00', '60676044-f68c-b887-5e60-6ca97d04aeac', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x9d572f79cb89208ead7b03350d5fe4c2');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (90, 'user90@example.com', 'User 90 O''Neil	tab', false, '2024-03-31', '2024-01-05 16:30:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (91, 'user91@example.com', NULL, true, '2024-04-01', '2024-01-05 17:37:00+00', 'e3e1aa3a-016d-1349-801c-b0c3cc33a69e', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x5a4e0812feaadcae3f49a8895e24ab3b');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (92, 'user92@example.com', 'User 92 O''Neil	tab', true, '2024-04-02', '2024-01-05 18:44:00+00', 'c0c2fda9-c6ab-70d7-a983-5b8e9fd39dce', NULL, '\xd663d87815b60985de0a0c14e5348b5d');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (93, 'user93@example.com', 'User 93 O''Neil	tab', false, '2024-04-03', '2024-01-05 19:51:00+00', '707e1d0d-7ed6-c7ae-a17b-c792770016fc', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\xa805ae5228411fef54ab5ad0d57486b6');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (94, 'user94@example.com', 'User 94 O''Neil	tab', true, '2024-04-04', '2024-01-05 20:58:00+00', 'c9733017-b7b4-cc30-759a-7f726ca11617', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xbc21d9f71453e9121c16e3979231bf60');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (95, 'user95@example.com', 'User 95 O''Neil	tab', true, '2024-04-05', '2024-01-05 22:05:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x1347b12704ea451e89c54fee1b9e0cae');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (96, 'user96@example.com', 'User 96 O''Neil	tab', false, '2024-04-06', '2024-01-05 23:12:00+00', '9aa1c223-00c1-f42d-a247-8200895abcbf', NULL, NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (97, 'user97@example.com', 'User 97 O''Neil	tab', true, '2024-04-07', '2024-01-06 00:19:00+00', 'bfd2b4b7-0272-dacf-abca-a5faca861314', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\x72b090aebf783b64b0eb0622ff2f84b4');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (98, 'user98@example.com', NULL, true, '2024-04-08', '2024-01-06 01:26:00+00', '63d91a55-4877-3871-06d9-025c504151e3', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x19090609bab344a4be871ba330359f20');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (99, 'user99@example.com', 'User 99 O''Neil	tab', false, '2024-04-09', '2024-01-06 02:33:00+00', '952d723f-ab28-e9ef-a0d1-f6e46e033358', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\xf20b80a0d815cbbccd2d50ff2e78d97a');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (100, 'user100@example.com', 'User 100 O''Neil	tab', true, '2024-04-10', '2024-01-06 03:40:00+00', NULL, NULL, '\x57747ab889255af96b48d65e505382fe');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (101, 'user101@example.com', 'User 101 O''Neil	tab', true, '2024-04-11', '2024-01-06 04:47:00+00', '8ae49dd6-64c9-4430-922a-5a1454a14ecf', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\xeb659277b7925b059be21d6b6b8706f2');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (102, 'user102@example.com', 'User 102 O''Neil	tab', false, '2024-04-12', '2024-01-06 05:54:00+00', '743bdce0-4042-bef1-d3ea-52c99b6eca84', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (103, 'user103@example.com', 'User 103 O''Neil	tab', true, '2024-04-13', '2024-01-06 07:01:00+00', '82559bbe-8748-70bf-7cbd-9682dbbe4bf3', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xdc79466963c19d35a762c4d60eea75ca');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (104, 'user104@example.com', 'User 104 O''Neil	tab', true, '2024-04-14', '2024-01-06 08:08:00+00', '6faaaa27-df81-e4c6-44a2-2b7877496551', NULL, '\x419dbfd54a029e54b5576aae1e2d9c55');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (105, 'user105@example.com', NULL, false, '2024-04-15', '2024-01-06 09:15:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x44077373391aae4a9017bdd6fc404f57');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (106, 'user106@example.com', 'User 106 O''Neil	tab', true, '2024-04-16', '2024-01-06 10:22:00+00', 'ea4e7f89-e4d1-7f20-6d32-e22363677916', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xbbf6217eda4ecc5d94842291d87afdb7');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (107, 'user107@example.com', 'User 107 O''Neil	tab', true, '2024-04-17', '2024-01-06 11:29:00+00', '2903afef-9f97-24dd-fc19-1d04dca456e0', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x47bcd2413f92b25f25da2064697e09c0');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (108, 'user108@example.com', 'User 108 O''Neil	tab', false, '2024-04-18', '2024-01-06 12:36:00+00', 'af5d7750-c848-e28c-520a-845afaf072ca', NULL, NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (109, 'user109@example.com', 'User 109 O''Neil	tab', true, '2024-04-19', '2024-01-06 13:43:00+00', '7888f988-5b5f-05be-fbfa-4217510b7398', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xf87497ee8e468ba7c9a7744ea916df75');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (110, 'user110@example.com', 'User 110 O''Neil	tab', true, '2024-04-20', '2024-01-06 14:50:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x6f790bea3d22508c7b84cd5ba6865ee9');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (111, 'user111@example.com', 'User 111 O''Neil	tab', false, '2024-04-21', '2024-01-06 15:57:00+00', '3dc7cc3b-cd55-653a-c732-ec8a3b0e09aa', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\xe44b455ca13934ebb2906f3796b138f1');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (112, 'user112@example.com', NULL, true, '2024-04-22', '2024-01-06 17:04:00+00', 'da6eea9b-a936-c68e-20fa-410302d65b09', NULL, '\xd8715694717e03d6c91724777c5ec6e1');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (113, 'user113@example.com', 'User 113 O''Neil	tab', true, '2024-04-23', '2024-01-06 18:11:00+00', '93ffc7f2-4351-09a5-f050-ba34230f6acd', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\xc2f3cbda906a70a568ab31575c9fbf02');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (114, 'user114@example.com', 'User 114 O''Neil	tab', false, '2024-04-24', '2024-01-06 19:18:00+00', '3ba0e39f-07c7-072c-5b19-eee655de63a5', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', NULL);
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (115, 'user115@example.com', 'User 115 O''Neil	tab', true, '2024-04-25', '2024-01-06 20:25:00+00', NULL, '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xc6ff207c2c0556a7d926249a2a90e35b');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (116, 'user116@example.com', 'User 116 O''Neil	tab', true, '2024-04-26', '2024-01-06 21:32:00+00', 'cbbcabd8-e506-ca4b-513b-99941befb7eb', NULL, '\xa571ec90e55cccf2499559a2ae4735d2');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (117, 'user117@example.com', 'User 117 O''Neil	tab', false, '2024-04-27', '2024-01-06 22:39:00+00', '1751ea14-ec74-a433-4b7f-5bc824dbeb6a', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 0}', '\x660590acca8ec3ec11f2db9e1a000a53');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (118, 'user118@example.com', 'User 118 O''Neil	tab', true, '2024-04-28', '2024-01-06 23:46:00+00', 'fa8650ad-8c32-e0bb-ccfc-f822cf2c9ac1', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 1}', '\xd606520b604e305f39273bdf589631a5');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (119, 'user119@example.com', NULL, true, '2024-04-29', '2024-01-07 00:53:00+00', '4dff8350-569a-9bda-bf97-ddb367aa24c9', '{"q": "he said \"hi\"", "tags": ["a", "b"], "tier": 2}', '\x14b5d1e8ff6413eef0a30bca20333b9f');
INSERT INTO public.customers (id, email, name, active, signup, created_at, ext_id, profile, avatar) VALUES (120, 'user120@example.com', 'User 120 O''Neil	tab', false, '2024-04-30', '2024-01-07 02:00:00+00', NULL, NULL, NULL);


--
-- Data for Name: events; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (1, 'k1', '2024-03-01 00:01:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (2, 'k2', '2024-03-01 00:02:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (3, 'k3', '2024-03-01 00:03:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (4, 'k0', '2024-03-01 00:04:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (5, 'k1', '2024-03-01 00:05:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (6, 'k2', '2024-03-01 00:06:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (7, 'k3', '2024-03-01 00:07:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (8, 'k0', '2024-03-01 00:08:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (9, 'k1', '2024-03-01 00:09:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (10, 'k2', '2024-03-01 00:10:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (11, 'k3', '2024-03-01 00:11:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (12, 'k0', '2024-03-01 00:12:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (13, 'k1', '2024-03-01 00:13:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (14, 'k2', '2024-03-01 00:14:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (15, 'k3', '2024-03-01 00:15:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (16, 'k0', '2024-03-01 00:16:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (17, 'k1', '2024-03-01 00:17:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (18, 'k2', '2024-03-01 00:18:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (19, 'k3', '2024-03-01 00:19:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (20, 'k0', '2024-03-01 00:20:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (21, 'k1', '2024-03-01 00:21:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (22, 'k2', '2024-03-01 00:22:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (23, 'k3', '2024-03-01 00:23:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (24, 'k0', '2024-03-01 00:24:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (25, 'k1', '2024-03-01 00:25:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (26, 'k2', '2024-03-01 00:26:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (27, 'k3', '2024-03-01 00:27:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (28, 'k0', '2024-03-01 00:28:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (29, 'k1', '2024-03-01 00:29:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (30, 'k2', '2024-03-01 00:30:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (31, 'k3', '2024-03-01 00:31:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (32, 'k0', '2024-03-01 00:32:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (33, 'k1', '2024-03-01 00:33:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (34, 'k2', '2024-03-01 00:34:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (35, 'k3', '2024-03-01 00:35:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (36, 'k0', '2024-03-01 00:36:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (37, 'k1', '2024-03-01 00:37:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (38, 'k2', '2024-03-01 00:38:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (39, 'k3', '2024-03-01 00:39:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (40, 'k0', '2024-03-01 00:40:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (41, 'k1', '2024-03-01 00:41:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (42, 'k2', '2024-03-01 00:42:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (43, 'k3', '2024-03-01 00:43:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (44, 'k0', '2024-03-01 00:44:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (45, 'k1', '2024-03-01 00:45:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (46, 'k2', '2024-03-01 00:46:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (47, 'k3', '2024-03-01 00:47:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (48, 'k0', '2024-03-01 00:48:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (49, 'k1', '2024-03-01 00:49:00+00');
INSERT INTO public.events (id, kind, at) OVERRIDING SYSTEM VALUE VALUES (50, 'k2', '2024-03-01 00:50:00+00');


--
-- Data for Name: order_lines; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (1, 1, 'SKU-1', 3, 4.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (2, 1, 'SKU-2', 4, 7.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (3, 1, 'SKU-3', 5, 10.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (4, 1, 'SKU-4', 1, 13.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (6, 1, 'SKU-6', 3, 19.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (7, 1, 'SKU-7', 4, 22.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (8, 1, 'SKU-8', 5, 25.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (9, 1, 'SKU-9', 1, 28.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (10, 1, 'SKU-10', 2, 31.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (11, 1, 'SKU-11', 3, 34.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (12, 1, 'SKU-12', 4, 37.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (13, 1, 'SKU-13', 5, 40.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (14, 1, 'SKU-14', 1, 43.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (15, 1, 'SKU-15', 2, 46.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (16, 1, 'SKU-16', 3, 49.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (18, 1, 'SKU-18', 5, 55.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (19, 1, 'SKU-19', 1, 58.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (20, 1, 'SKU-20', 2, 61.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (21, 1, 'SKU-21', 3, 64.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (22, 1, 'SKU-22', 4, 67.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (23, 1, 'SKU-23', 5, 70.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (24, 1, 'SKU-24', 1, 73.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (25, 1, 'SKU-25', 2, 76.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (26, 1, 'SKU-26', 3, 79.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (27, 1, 'SKU-27', 4, 82.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (28, 1, 'SKU-28', 5, 85.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (29, 1, 'SKU-29', 1, 88.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (30, 1, 'SKU-30', 2, 91.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (31, 1, 'SKU-31', 3, 94.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (32, 1, 'SKU-32', 4, 97.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (33, 1, 'SKU-33', 5, 0.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (34, 1, 'SKU-34', 1, 3.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (35, 1, 'SKU-35', 2, 6.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (36, 1, 'SKU-36', 3, 9.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (37, 1, 'SKU-37', 4, 12.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (38, 1, 'SKU-38', 5, 15.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (39, 1, 'SKU-39', 1, 18.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (40, 1, 'SKU-0', 2, 21.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (41, 1, 'SKU-1', 3, 24.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (42, 1, 'SKU-2', 4, 27.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (43, 1, 'SKU-3', 5, 30.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (44, 1, 'SKU-4', 1, 33.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (45, 1, 'SKU-5', 2, 36.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (46, 1, 'SKU-6', 3, 39.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (47, 1, 'SKU-7', 4, 42.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (48, 1, 'SKU-8', 5, 45.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (49, 1, 'SKU-9', 1, 48.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (50, 1, 'SKU-10', 2, 51.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (51, 1, 'SKU-11', 3, 54.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (52, 1, 'SKU-12', 4, 57.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (53, 1, 'SKU-13', 5, 60.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (54, 1, 'SKU-14', 1, 63.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (55, 1, 'SKU-15', 2, 66.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (56, 1, 'SKU-16', 3, 69.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (57, 1, 'SKU-17', 4, 72.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (58, 1, 'SKU-18', 5, 75.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (59, 1, 'SKU-19', 1, 78.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (60, 1, 'SKU-20', 2, 81.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (61, 1, 'SKU-21', 3, 84.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (62, 1, 'SKU-22', 4, 87.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (63, 1, 'SKU-23', 5, 90.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (64, 1, 'SKU-24', 1, 93.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (65, 1, 'SKU-25', 2, 96.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (66, 1, 'SKU-26', 3, 99.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (67, 1, 'SKU-27', 4, 2.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (68, 1, 'SKU-28', 5, 5.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (69, 1, 'SKU-29', 1, 8.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (70, 1, 'SKU-30', 2, 11.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (71, 1, 'SKU-31', 3, 14.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (72, 1, 'SKU-32', 4, 17.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (73, 1, 'SKU-33', 5, 20.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (74, 1, 'SKU-34', 1, 23.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (75, 1, 'SKU-35', 2, 26.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (76, 1, 'SKU-36', 3, 29.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (77, 1, 'SKU-37', 4, 32.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (78, 1, 'SKU-38', 5, 35.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (79, 1, 'SKU-39', 1, 38.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (80, 1, 'SKU-0', 2, 41.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (81, 1, 'SKU-1', 3, 44.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (82, 1, 'SKU-2', 4, 47.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (83, 1, 'SKU-3', 5, 50.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (84, 1, 'SKU-4', 1, 53.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (85, 1, 'SKU-5', 2, 56.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (86, 1, 'SKU-6', 3, 59.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (87, 1, 'SKU-7', 4, 62.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (88, 1, 'SKU-8', 5, 65.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (89, 1, 'SKU-9', 1, 68.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (90, 1, 'SKU-10', 2, 71.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (91, 1, 'SKU-11', 3, 74.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (92, 1, 'SKU-12', 4, 77.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (93, 1, 'SKU-13', 5, 80.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (94, 1, 'SKU-14', 1, 83.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (95, 1, 'SKU-15', 2, 86.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (96, 1, 'SKU-16', 3, 89.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (97, 1, 'SKU-17', 4, 92.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (98, 1, 'SKU-18', 5, 95.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (99, 1, 'SKU-19', 1, 98.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (100, 1, 'SKU-20', 2, 1.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (101, 1, 'SKU-21', 3, 4.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (102, 1, 'SKU-22', 4, 7.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (103, 1, 'SKU-23', 5, 10.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (104, 1, 'SKU-24', 1, 13.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (105, 1, 'SKU-25', 2, 16.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (106, 1, 'SKU-26', 3, 19.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (107, 1, 'SKU-27', 4, 22.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (108, 1, 'SKU-28', 5, 25.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (109, 1, 'SKU-29', 1, 28.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (110, 1, 'SKU-30', 2, 31.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (111, 1, 'SKU-31', 3, 34.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (112, 1, 'SKU-32', 4, 37.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (113, 1, 'SKU-33', 5, 40.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (114, 1, 'SKU-34', 1, 43.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (115, 1, 'SKU-35', 2, 46.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (116, 1, 'SKU-36', 3, 49.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (117, 1, 'SKU-37', 4, 52.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (118, 1, 'SKU-38', 5, 55.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (119, 1, 'SKU-39', 1, 58.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (120, 1, 'SKU-0', 2, 61.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (121, 1, 'SKU-1', 3, 64.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (122, 1, 'SKU-2', 4, 67.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (123, 1, 'SKU-3', 5, 70.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (124, 1, 'SKU-4', 1, 73.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (125, 1, 'SKU-5', 2, 76.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (126, 1, 'SKU-6', 3, 79.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (127, 1, 'SKU-7', 4, 82.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (128, 1, 'SKU-8', 5, 85.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (129, 1, 'SKU-9', 1, 88.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (130, 1, 'SKU-10', 2, 91.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (131, 1, 'SKU-11', 3, 94.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (132, 1, 'SKU-12', 4, 97.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (133, 1, 'SKU-13', 5, 0.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (134, 1, 'SKU-14', 1, 3.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (135, 1, 'SKU-15', 2, 6.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (136, 1, 'SKU-16', 3, 9.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (137, 1, 'SKU-17', 4, 12.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (138, 1, 'SKU-18', 5, 15.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (139, 1, 'SKU-19', 1, 18.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (140, 1, 'SKU-20', 2, 21.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (141, 1, 'SKU-21', 3, 24.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (142, 1, 'SKU-22', 4, 27.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (143, 1, 'SKU-23', 5, 30.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (144, 1, 'SKU-24', 1, 33.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (145, 1, 'SKU-25', 2, 36.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (146, 1, 'SKU-26', 3, 39.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (147, 1, 'SKU-27', 4, 42.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (148, 1, 'SKU-28', 5, 45.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (149, 1, 'SKU-29', 1, 48.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (150, 1, 'SKU-30', 2, 51.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (151, 1, 'SKU-31', 3, 54.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (152, 1, 'SKU-32', 4, 57.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (153, 1, 'SKU-33', 5, 60.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (154, 1, 'SKU-34', 1, 63.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (155, 1, 'SKU-35', 2, 66.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (156, 1, 'SKU-36', 3, 69.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (157, 1, 'SKU-37', 4, 72.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (158, 1, 'SKU-38', 5, 75.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (159, 1, 'SKU-39', 1, 78.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (160, 1, 'SKU-0', 2, 81.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (161, 1, 'SKU-1', 3, 84.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (162, 1, 'SKU-2', 4, 87.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (163, 1, 'SKU-3', 5, 90.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (164, 1, 'SKU-4', 1, 93.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (165, 1, 'SKU-5', 2, 96.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (166, 1, 'SKU-6', 3, 99.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (167, 1, 'SKU-7', 4, 2.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (168, 1, 'SKU-8', 5, 5.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (169, 1, 'SKU-9', 1, 8.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (170, 1, 'SKU-10', 2, 11.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (171, 1, 'SKU-11', 3, 14.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (172, 1, 'SKU-12', 4, 17.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (173, 1, 'SKU-13', 5, 20.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (174, 1, 'SKU-14', 1, 23.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (175, 1, 'SKU-15', 2, 26.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (176, 1, 'SKU-16', 3, 29.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (177, 1, 'SKU-17', 4, 32.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (178, 1, 'SKU-18', 5, 35.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (179, 1, 'SKU-19', 1, 38.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (180, 1, 'SKU-20', 2, 41.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (181, 1, 'SKU-21', 3, 44.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (182, 1, 'SKU-22', 4, 47.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (183, 1, 'SKU-23', 5, 50.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (184, 1, 'SKU-24', 1, 53.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (185, 1, 'SKU-25', 2, 56.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (186, 1, 'SKU-26', 3, 59.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (187, 1, 'SKU-27', 4, 62.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (188, 1, 'SKU-28', 5, 65.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (189, 1, 'SKU-29', 1, 68.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (190, 1, 'SKU-30', 2, 71.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (191, 1, 'SKU-31', 3, 74.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (192, 1, 'SKU-32', 4, 77.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (193, 1, 'SKU-33', 5, 80.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (194, 1, 'SKU-34', 1, 83.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (195, 1, 'SKU-35', 2, 86.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (196, 1, 'SKU-36', 3, 89.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (197, 1, 'SKU-37', 4, 92.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (198, 1, 'SKU-38', 5, 95.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (199, 1, 'SKU-39', 1, 98.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (200, 1, 'SKU-0', 2, 1.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (201, 1, 'SKU-1', 3, 4.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (202, 1, 'SKU-2', 4, 7.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (203, 1, 'SKU-3', 5, 10.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (204, 1, 'SKU-4', 1, 13.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (205, 1, 'SKU-5', 2, 16.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (206, 1, 'SKU-6', 3, 19.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (207, 1, 'SKU-7', 4, 22.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (208, 1, 'SKU-8', 5, 25.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (209, 1, 'SKU-9', 1, 28.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (210, 1, 'SKU-10', 2, 31.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (211, 1, 'SKU-11', 3, 34.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (212, 1, 'SKU-12', 4, 37.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (213, 1, 'SKU-13', 5, 40.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (214, 1, 'SKU-14', 1, 43.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (215, 1, 'SKU-15', 2, 46.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (216, 1, 'SKU-16', 3, 49.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (217, 1, 'SKU-17', 4, 52.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (218, 1, 'SKU-18', 5, 55.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (219, 1, 'SKU-19', 1, 58.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (220, 1, 'SKU-20', 2, 61.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (221, 1, 'SKU-21', 3, 64.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (222, 1, 'SKU-22', 4, 67.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (223, 1, 'SKU-23', 5, 70.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (224, 1, 'SKU-24', 1, 73.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (225, 1, 'SKU-25', 2, 76.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (226, 1, 'SKU-26', 3, 79.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (227, 1, 'SKU-27', 4, 82.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (228, 1, 'SKU-28', 5, 85.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (229, 1, 'SKU-29', 1, 88.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (230, 1, 'SKU-30', 2, 91.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (231, 1, 'SKU-31', 3, 94.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (232, 1, 'SKU-32', 4, 97.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (233, 1, 'SKU-33', 5, 0.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (234, 1, 'SKU-34', 1, 3.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (235, 1, 'SKU-35', 2, 6.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (236, 1, 'SKU-36', 3, 9.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (237, 1, 'SKU-37', 4, 12.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (238, 1, 'SKU-38', 5, 15.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (239, 1, 'SKU-39', 1, 18.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (240, 1, 'SKU-0', 2, 21.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (241, 1, 'SKU-1', 3, 24.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (242, 1, 'SKU-2', 4, 27.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (243, 1, 'SKU-3', 5, 30.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (244, 1, 'SKU-4', 1, 33.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (245, 1, 'SKU-5', 2, 36.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (246, 1, 'SKU-6', 3, 39.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (247, 1, 'SKU-7', 4, 42.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (248, 1, 'SKU-8', 5, 45.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (249, 1, 'SKU-9', 1, 48.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (250, 1, 'SKU-10', 2, 51.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (251, 1, 'SKU-11', 3, 54.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (252, 1, 'SKU-12', 4, 57.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (253, 1, 'SKU-13', 5, 60.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (254, 1, 'SKU-14', 1, 63.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (255, 1, 'SKU-15', 2, 66.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (256, 1, 'SKU-16', 3, 69.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (257, 1, 'SKU-17', 4, 72.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (258, 1, 'SKU-18', 5, 75.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (259, 1, 'SKU-19', 1, 78.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (260, 1, 'SKU-20', 2, 81.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (261, 1, 'SKU-21', 3, 84.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (262, 1, 'SKU-22', 4, 87.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (263, 1, 'SKU-23', 5, 90.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (264, 1, 'SKU-24', 1, 93.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (265, 1, 'SKU-25', 2, 96.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (266, 1, 'SKU-26', 3, 99.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (267, 1, 'SKU-27', 4, 2.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (268, 1, 'SKU-28', 5, 5.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (269, 1, 'SKU-29', 1, 8.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (270, 1, 'SKU-30', 2, 11.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (271, 1, 'SKU-31', 3, 14.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (272, 1, 'SKU-32', 4, 17.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (273, 1, 'SKU-33', 5, 20.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (274, 1, 'SKU-34', 1, 23.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (275, 1, 'SKU-35', 2, 26.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (276, 1, 'SKU-36', 3, 29.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (277, 1, 'SKU-37', 4, 32.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (278, 1, 'SKU-38', 5, 35.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (279, 1, 'SKU-39', 1, 38.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (280, 1, 'SKU-0', 2, 41.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (281, 1, 'SKU-1', 3, 44.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (282, 1, 'SKU-2', 4, 47.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (283, 1, 'SKU-3', 5, 50.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (284, 1, 'SKU-4', 1, 53.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (285, 1, 'SKU-5', 2, 56.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (286, 1, 'SKU-6', 3, 59.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (287, 1, 'SKU-7', 4, 62.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (288, 1, 'SKU-8', 5, 65.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (289, 1, 'SKU-9', 1, 68.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (290, 1, 'SKU-10', 2, 71.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (291, 1, 'SKU-11', 3, 74.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (292, 1, 'SKU-12', 4, 77.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (293, 1, 'SKU-13', 5, 80.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (294, 1, 'SKU-14', 1, 83.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (295, 1, 'SKU-15', 2, 86.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (296, 1, 'SKU-16', 3, 89.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (297, 1, 'SKU-17', 4, 92.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (298, 1, 'SKU-18', 5, 95.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (299, 1, 'SKU-19', 1, 98.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (300, 1, 'SKU-20', 2, 1.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (2, 2, 'SKU-4', 5, 8.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (4, 2, 'SKU-8', 2, 14.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (6, 2, 'SKU-12', 4, 20.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (8, 2, 'SKU-16', 1, 26.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (10, 2, 'SKU-20', 3, 32.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (12, 2, 'SKU-24', 5, 38.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (14, 2, 'SKU-28', 2, 44.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (16, 2, 'SKU-32', 4, 50.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (18, 2, 'SKU-36', 1, 56.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (20, 2, 'SKU-0', 3, 62.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (22, 2, 'SKU-4', 5, 68.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (24, 2, 'SKU-8', 2, 74.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (26, 2, 'SKU-12', 4, 80.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (28, 2, 'SKU-16', 1, 86.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (30, 2, 'SKU-20', 3, 92.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (32, 2, 'SKU-24', 5, 98.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (34, 2, 'SKU-28', 2, 4.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (36, 2, 'SKU-32', 4, 10.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (38, 2, 'SKU-36', 1, 16.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (40, 2, 'SKU-0', 3, 22.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (42, 2, 'SKU-4', 5, 28.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (44, 2, 'SKU-8', 2, 34.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (46, 2, 'SKU-12', 4, 40.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (48, 2, 'SKU-16', 1, 46.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (50, 2, 'SKU-20', 3, 52.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (52, 2, 'SKU-24', 5, 58.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (54, 2, 'SKU-28', 2, 64.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (56, 2, 'SKU-32', 4, 70.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (58, 2, 'SKU-36', 1, 76.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (60, 2, 'SKU-0', 3, 82.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (62, 2, 'SKU-4', 5, 88.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (64, 2, 'SKU-8', 2, 94.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (66, 2, 'SKU-12', 4, 0.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (68, 2, 'SKU-16', 1, 6.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (70, 2, 'SKU-20', 3, 12.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (72, 2, 'SKU-24', 5, 18.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (74, 2, 'SKU-28', 2, 24.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (76, 2, 'SKU-32', 4, 30.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (78, 2, 'SKU-36', 1, 36.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (80, 2, 'SKU-0', 3, 42.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (82, 2, 'SKU-4', 5, 48.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (84, 2, 'SKU-8', 2, 54.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (86, 2, 'SKU-12', 4, 60.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (88, 2, 'SKU-16', 1, 66.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (90, 2, 'SKU-20', 3, 72.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (92, 2, 'SKU-24', 5, 78.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (94, 2, 'SKU-28', 2, 84.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (96, 2, 'SKU-32', 4, 90.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (98, 2, 'SKU-36', 1, 96.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (100, 2, 'SKU-0', 3, 2.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (102, 2, 'SKU-4', 5, 8.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (104, 2, 'SKU-8', 2, 14.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (106, 2, 'SKU-12', 4, 20.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (108, 2, 'SKU-16', 1, 26.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (110, 2, 'SKU-20', 3, 32.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (112, 2, 'SKU-24', 5, 38.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (114, 2, 'SKU-28', 2, 44.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (116, 2, 'SKU-32', 4, 50.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (118, 2, 'SKU-36', 1, 56.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (120, 2, 'SKU-0', 3, 62.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (122, 2, 'SKU-4', 5, 68.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (124, 2, 'SKU-8', 2, 74.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (126, 2, 'SKU-12', 4, 80.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (128, 2, 'SKU-16', 1, 86.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (130, 2, 'SKU-20', 3, 92.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (132, 2, 'SKU-24', 5, 98.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (134, 2, 'SKU-28', 2, 4.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (136, 2, 'SKU-32', 4, 10.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (138, 2, 'SKU-36', 1, 16.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (140, 2, 'SKU-0', 3, 22.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (142, 2, 'SKU-4', 5, 28.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (144, 2, 'SKU-8', 2, 34.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (146, 2, 'SKU-12', 4, 40.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (148, 2, 'SKU-16', 1, 46.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (150, 2, 'SKU-20', 3, 52.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (152, 2, 'SKU-24', 5, 58.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (154, 2, 'SKU-28', 2, 64.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (156, 2, 'SKU-32', 4, 70.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (158, 2, 'SKU-36', 1, 76.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (160, 2, 'SKU-0', 3, 82.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (162, 2, 'SKU-4', 5, 88.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (164, 2, 'SKU-8', 2, 94.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (166, 2, 'SKU-12', 4, 0.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (168, 2, 'SKU-16', 1, 6.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (170, 2, 'SKU-20', 3, 12.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (172, 2, 'SKU-24', 5, 18.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (174, 2, 'SKU-28', 2, 24.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (176, 2, 'SKU-32', 4, 30.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (178, 2, 'SKU-36', 1, 36.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (180, 2, 'SKU-0', 3, 42.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (182, 2, 'SKU-4', 5, 48.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (184, 2, 'SKU-8', 2, 54.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (186, 2, 'SKU-12', 4, 60.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (188, 2, 'SKU-16', 1, 66.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (190, 2, 'SKU-20', 3, 72.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (192, 2, 'SKU-24', 5, 78.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (194, 2, 'SKU-28', 2, 84.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (196, 2, 'SKU-32', 4, 90.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (198, 2, 'SKU-36', 1, 96.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (200, 2, 'SKU-0', 3, 2.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (202, 2, 'SKU-4', 5, 8.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (204, 2, 'SKU-8', 2, 14.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (206, 2, 'SKU-12', 4, 20.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (208, 2, 'SKU-16', 1, 26.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (210, 2, 'SKU-20', 3, 32.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (212, 2, 'SKU-24', 5, 38.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (214, 2, 'SKU-28', 2, 44.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (216, 2, 'SKU-32', 4, 50.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (218, 2, 'SKU-36', 1, 56.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (220, 2, 'SKU-0', 3, 62.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (222, 2, 'SKU-4', 5, 68.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (224, 2, 'SKU-8', 2, 74.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (226, 2, 'SKU-12', 4, 80.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (228, 2, 'SKU-16', 1, 86.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (230, 2, 'SKU-20', 3, 92.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (232, 2, 'SKU-24', 5, 98.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (234, 2, 'SKU-28', 2, 4.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (236, 2, 'SKU-32', 4, 10.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (238, 2, 'SKU-36', 1, 16.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (240, 2, 'SKU-0', 3, 22.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (242, 2, 'SKU-4', 5, 28.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (244, 2, 'SKU-8', 2, 34.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (246, 2, 'SKU-12', 4, 40.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (248, 2, 'SKU-16', 1, 46.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (250, 2, 'SKU-20', 3, 52.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (252, 2, 'SKU-24', 5, 58.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (254, 2, 'SKU-28', 2, 64.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (256, 2, 'SKU-32', 4, 70.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (258, 2, 'SKU-36', 1, 76.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (260, 2, 'SKU-0', 3, 82.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (262, 2, 'SKU-4', 5, 88.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (264, 2, 'SKU-8', 2, 94.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (266, 2, 'SKU-12', 4, 0.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (268, 2, 'SKU-16', 1, 6.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (270, 2, 'SKU-20', 3, 12.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (272, 2, 'SKU-24', 5, 18.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (274, 2, 'SKU-28', 2, 24.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (276, 2, 'SKU-32', 4, 30.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (278, 2, 'SKU-36', 1, 36.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (280, 2, 'SKU-0', 3, 42.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (282, 2, 'SKU-4', 5, 48.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (284, 2, 'SKU-8', 2, 54.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (286, 2, 'SKU-12', 4, 60.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (288, 2, 'SKU-16', 1, 66.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (290, 2, 'SKU-20', 3, 72.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (292, 2, 'SKU-24', 5, 78.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (294, 2, 'SKU-28', 2, 84.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (296, 2, 'SKU-32', 4, 90.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (298, 2, 'SKU-36', 1, 96.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (300, 2, 'SKU-0', 3, 2.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (2, 3, 'SKU-6', 1, 9.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (4, 3, 'SKU-12', 3, 15.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (6, 3, 'SKU-18', 5, 21.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (8, 3, 'SKU-24', 2, 27.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (10, 3, 'SKU-30', 4, 33.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (12, 3, 'SKU-36', 1, 39.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (14, 3, 'SKU-2', 3, 45.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (16, 3, 'SKU-8', 5, 51.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (18, 3, 'SKU-14', 2, 57.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (20, 3, 'SKU-20', 4, 63.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (22, 3, 'SKU-26', 1, 69.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (24, 3, 'SKU-32', 3, 75.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (26, 3, 'SKU-38', 5, 81.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (28, 3, 'SKU-4', 2, 87.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (30, 3, 'SKU-10', 4, 93.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (32, 3, 'SKU-16', 1, 99.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (34, 3, 'SKU-22', 3, 5.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (36, 3, 'SKU-28', 5, 11.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (38, 3, 'SKU-34', 2, 17.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (40, 3, 'SKU-0', 4, 23.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (42, 3, 'SKU-6', 1, 29.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (44, 3, 'SKU-12', 3, 35.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (46, 3, 'SKU-18', 5, 41.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (48, 3, 'SKU-24', 2, 47.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (50, 3, 'SKU-30', 4, 53.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (52, 3, 'SKU-36', 1, 59.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (54, 3, 'SKU-2', 3, 65.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (56, 3, 'SKU-8', 5, 71.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (58, 3, 'SKU-14', 2, 77.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (60, 3, 'SKU-20', 4, 83.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (62, 3, 'SKU-26', 1, 89.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (64, 3, 'SKU-32', 3, 95.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (66, 3, 'SKU-38', 5, 1.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (68, 3, 'SKU-4', 2, 7.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (70, 3, 'SKU-10', 4, 13.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (72, 3, 'SKU-16', 1, 19.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (74, 3, 'SKU-22', 3, 25.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (76, 3, 'SKU-28', 5, 31.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (78, 3, 'SKU-34', 2, 37.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (80, 3, 'SKU-0', 4, 43.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (82, 3, 'SKU-6', 1, 49.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (84, 3, 'SKU-12', 3, 55.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (86, 3, 'SKU-18', 5, 61.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (88, 3, 'SKU-24', 2, 67.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (90, 3, 'SKU-30', 4, 73.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (92, 3, 'SKU-36', 1, 79.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (94, 3, 'SKU-2', 3, 85.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (96, 3, 'SKU-8', 5, 91.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (98, 3, 'SKU-14', 2, 97.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (100, 3, 'SKU-20', 4, 3.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (102, 3, 'SKU-26', 1, 9.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (104, 3, 'SKU-32', 3, 15.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (106, 3, 'SKU-38', 5, 21.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (108, 3, 'SKU-4', 2, 27.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (110, 3, 'SKU-10', 4, 33.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (112, 3, 'SKU-16', 1, 39.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (114, 3, 'SKU-22', 3, 45.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (116, 3, 'SKU-28', 5, 51.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (118, 3, 'SKU-34', 2, 57.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (120, 3, 'SKU-0', 4, 63.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (122, 3, 'SKU-6', 1, 69.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (124, 3, 'SKU-12', 3, 75.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (126, 3, 'SKU-18', 5, 81.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (128, 3, 'SKU-24', 2, 87.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (130, 3, 'SKU-30', 4, 93.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (132, 3, 'SKU-36', 1, 99.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (134, 3, 'SKU-2', 3, 5.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (136, 3, 'SKU-8', 5, 11.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (138, 3, 'SKU-14', 2, 17.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (140, 3, 'SKU-20', 4, 23.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (142, 3, 'SKU-26', 1, 29.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (144, 3, 'SKU-32', 3, 35.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (146, 3, 'SKU-38', 5, 41.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (148, 3, 'SKU-4', 2, 47.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (150, 3, 'SKU-10', 4, 53.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (152, 3, 'SKU-16', 1, 59.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (154, 3, 'SKU-22', 3, 65.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (156, 3, 'SKU-28', 5, 71.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (158, 3, 'SKU-34', 2, 77.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (160, 3, 'SKU-0', 4, 83.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (162, 3, 'SKU-6', 1, 89.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (164, 3, 'SKU-12', 3, 95.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (166, 3, 'SKU-18', 5, 1.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (168, 3, 'SKU-24', 2, 7.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (170, 3, 'SKU-30', 4, 13.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (172, 3, 'SKU-36', 1, 19.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (174, 3, 'SKU-2', 3, 25.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (176, 3, 'SKU-8', 5, 31.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (178, 3, 'SKU-14', 2, 37.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (180, 3, 'SKU-20', 4, 43.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (182, 3, 'SKU-26', 1, 49.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (184, 3, 'SKU-32', 3, 55.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (186, 3, 'SKU-38', 5, 61.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (188, 3, 'SKU-4', 2, 67.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (190, 3, 'SKU-10', 4, 73.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (192, 3, 'SKU-16', 1, 79.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (194, 3, 'SKU-22', 3, 85.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (196, 3, 'SKU-28', 5, 91.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (198, 3, 'SKU-34', 2, 97.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (200, 3, 'SKU-0', 4, 3.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (202, 3, 'SKU-6', 1, 9.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (204, 3, 'SKU-12', 3, 15.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (206, 3, 'SKU-18', 5, 21.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (208, 3, 'SKU-24', 2, 27.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (210, 3, 'SKU-30', 4, 33.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (212, 3, 'SKU-36', 1, 39.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (214, 3, 'SKU-2', 3, 45.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (216, 3, 'SKU-8', 5, 51.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (218, 3, 'SKU-14', 2, 57.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (220, 3, 'SKU-20', 4, 63.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (222, 3, 'SKU-26', 1, 69.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (224, 3, 'SKU-32', 3, 75.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (226, 3, 'SKU-38', 5, 81.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (228, 3, 'SKU-4', 2, 87.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (230, 3, 'SKU-10', 4, 93.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (232, 3, 'SKU-16', 1, 99.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (234, 3, 'SKU-22', 3, 5.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (236, 3, 'SKU-28', 5, 11.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (238, 3, 'SKU-34', 2, 17.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (240, 3, 'SKU-0', 4, 23.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (242, 3, 'SKU-6', 1, 29.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (244, 3, 'SKU-12', 3, 35.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (246, 3, 'SKU-18', 5, 41.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (248, 3, 'SKU-24', 2, 47.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (250, 3, 'SKU-30', 4, 53.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (252, 3, 'SKU-36', 1, 59.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (254, 3, 'SKU-2', 3, 65.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (256, 3, 'SKU-8', 5, 71.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (258, 3, 'SKU-14', 2, 77.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (260, 3, 'SKU-20', 4, 83.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (262, 3, 'SKU-26', 1, 89.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (264, 3, 'SKU-32', 3, 95.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (266, 3, 'SKU-38', 5, 1.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (268, 3, 'SKU-4', 2, 7.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (270, 3, 'SKU-10', 4, 13.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (272, 3, 'SKU-16', 1, 19.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (274, 3, 'SKU-22', 3, 25.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (276, 3, 'SKU-28', 5, 31.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (278, 3, 'SKU-34', 2, 37.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (280, 3, 'SKU-0', 4, 43.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (282, 3, 'SKU-6', 1, 49.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (284, 3, 'SKU-12', 3, 55.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (286, 3, 'SKU-18', 5, 61.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (288, 3, 'SKU-24', 2, 67.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (290, 3, 'SKU-30', 4, 73.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (292, 3, 'SKU-36', 1, 79.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (294, 3, 'SKU-2', 3, 85.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (296, 3, 'SKU-8', 5, 91.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (298, 3, 'SKU-14', 2, 97.99);
INSERT INTO public.order_lines (order_id, line_no, sku, qty, price) VALUES (300, 3, 'SKU-20', 4, 3.99);


--
-- Data for Name: orders; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (1, 8, 13.37, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (2, 15, 26.74, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (3, 22, 40.11, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (4, 29, 53.48, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (6, 43, 80.22, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (7, 50, 93.59, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (8, 57, 106.96, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (9, 64, 120.33, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (10, 71, 133.70, 'paid', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (11, 78, 147.07, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (12, 85, 160.44, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (13, 92, 173.81, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (14, 99, 187.18, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (15, 106, 200.55, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (16, 113, 213.92, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (18, 7, 240.66, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (19, 14, 254.03, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (20, 21, 267.40, 'shipped', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (21, 28, 280.77, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (22, 35, 294.14, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (23, 42, 307.51, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (24, 49, 320.88, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (25, 56, 334.25, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (26, 63, 347.62, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (27, 70, 360.99, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (28, 77, 374.36, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (29, 84, 387.73, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (30, 91, 401.10, 'new', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (31, 98, 414.47, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (32, 105, 427.84, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (33, 112, 441.21, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (34, 119, 454.58, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (35, 6, 467.95, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (36, 13, 481.32, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (37, 20, 494.69, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (38, 27, 8.06, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (39, 34, 21.43, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (40, 41, 34.80, 'paid', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (41, 48, 48.17, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (42, 55, 61.54, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (43, 62, 74.91, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (44, 69, 88.28, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (45, 76, 101.65, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (46, 83, 115.02, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (47, 90, 128.39, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (48, 97, 141.76, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (49, 104, 155.13, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (50, 111, 168.50, 'shipped', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (51, 118, 181.87, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (52, 5, 195.24, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (53, 12, 208.61, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (54, 19, 221.98, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (55, 26, 235.35, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (56, 33, 248.72, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (57, 40, 262.09, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (58, 47, 275.46, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (59, 54, 288.83, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (60, 61, 302.20, 'new', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (61, 68, 315.57, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (62, 75, 328.94, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (63, 82, 342.31, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (64, 89, 355.68, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (65, 96, 369.05, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (66, 103, 382.42, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (67, 110, 395.79, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (68, 117, 409.16, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (69, 4, 422.53, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (70, 11, 435.90, 'paid', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (71, 18, 449.27, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (72, 25, 462.64, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (73, 32, 476.01, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (74, 39, 489.38, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (75, 46, 2.75, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (76, 53, 16.12, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (77, 60, 29.49, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (78, 67, 42.86, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (79, 74, 56.23, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (80, 81, 69.60, 'shipped', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (81, 88, 82.97, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (82, 95, 96.34, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (83, 102, 109.71, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (84, 109, 123.08, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (85, 116, 136.45, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (86, 3, 149.82, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (87, 10, 163.19, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (88, 17, 176.56, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (89, 24, 189.93, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (90, 31, 203.30, 'new', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (91, 38, 216.67, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (92, 45, 230.04, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (93, 52, 243.41, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (94, 59, 256.78, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (95, 66, 270.15, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (96, 73, 283.52, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (97, 80, 296.89, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (98, 87, 310.26, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (99, 94, 323.63, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (100, 101, 337.00, 'paid', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (101, 108, 350.37, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (102, 115, 363.74, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (103, 2, 377.11, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (104, 9, 390.48, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (105, 16, 403.85, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (106, 23, 417.22, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (107, 30, 430.59, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (108, 37, 443.96, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (109, 44, 457.33, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (110, 51, 470.70, 'shipped', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (111, 58, 484.07, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (112, 65, 497.44, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (113, 72, 10.81, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (114, 79, 24.18, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (115, 86, 37.55, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (116, 93, 50.92, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (117, 100, 64.29, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (118, 107, 77.66, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (119, 114, 91.03, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (120, 1, 104.40, 'new', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (121, 8, 117.77, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (122, 15, 131.14, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (123, 22, 144.51, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (124, 29, 157.88, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (125, 36, 171.25, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (126, 43, 184.62, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (127, 50, 197.99, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (128, 57, 211.36, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (129, 64, 224.73, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (130, 71, 238.10, 'paid', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (131, 78, 251.47, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (132, 85, 264.84, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (133, 92, 278.21, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (134, 99, 291.58, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (135, 106, 304.95, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (136, 113, 318.32, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (137, 120, 331.69, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (138, 7, 345.06, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (139, 14, 358.43, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (140, 21, 371.80, 'shipped', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (141, 28, 385.17, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (142, 35, 398.54, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (143, 42, 411.91, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (144, 49, 425.28, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (145, 56, 438.65, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (146, 63, 452.02, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (147, 70, 465.39, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (148, 77, 478.76, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (149, 84, 492.13, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (150, 91, 5.50, 'new', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (151, 98, 18.87, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (152, 105, 32.24, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (153, 112, 45.61, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (154, 119, 58.98, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (155, 6, 72.35, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (156, 13, 85.72, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (157, 20, 99.09, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (158, 27, 112.46, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (159, 34, 125.83, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (160, 41, 139.20, 'paid', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (161, 48, 152.57, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (162, 55, 165.94, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (163, 62, 179.31, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (164, 69, 192.68, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (165, 76, 206.05, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (166, 83, 219.42, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (167, 90, 232.79, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (168, 97, 246.16, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (169, 104, 259.53, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (170, 111, 272.90, 'shipped', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (171, 118, 286.27, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (172, 5, 299.64, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (173, 12, 313.01, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (174, 19, 326.38, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (175, 26, 339.75, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (176, 33, 353.12, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (177, 40, 366.49, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (178, 47, 379.86, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (179, 54, 393.23, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (180, 61, 406.60, 'new', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (181, 68, 419.97, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (182, 75, 433.34, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (183, 82, 446.71, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (184, 89, 460.08, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (185, 96, 473.45, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (186, 103, 486.82, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (187, 110, 0.19, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (188, 117, 13.56, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (189, 4, 26.93, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (190, 11, 40.30, 'paid', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (191, 18, 53.67, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (192, 25, 67.04, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (193, 32, 80.41, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (194, 39, 93.78, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (195, 46, 107.15, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (196, 53, 120.52, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (197, 60, 133.89, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (198, 67, 147.26, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (199, 74, 160.63, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (200, 81, 174.00, 'shipped', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (201, 88, 187.37, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (202, 95, 200.74, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (203, 102, 214.11, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (204, 109, 227.48, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (205, 116, 240.85, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (206, 3, 254.22, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (207, 10, 267.59, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (208, 17, 280.96, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (209, 24, 294.33, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (210, 31, 307.70, 'new', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (211, 38, 321.07, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (212, 45, 334.44, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (213, 52, 347.81, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (214, 59, 361.18, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (215, 66, 374.55, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (216, 73, 387.92, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (217, 80, 401.29, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (218, 87, 414.66, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (219, 94, 428.03, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (220, 101, 441.40, 'paid', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (221, 108, 454.77, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (222, 115, 468.14, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (223, 2, 481.51, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (224, 9, 494.88, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (225, 16, 8.25, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (226, 23, 21.62, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (227, 30, 34.99, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (228, 37, 48.36, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (229, 44, 61.73, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (230, 51, 75.10, 'shipped', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (231, 58, 88.47, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (232, 65, 101.84, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (233, 72, 115.21, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (234, 79, 128.58, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (235, 86, 141.95, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (236, 93, 155.32, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (237, 100, 168.69, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (238, 107, 182.06, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (239, 114, 195.43, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (240, 1, 208.80, 'new', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (241, 8, 222.17, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (242, 15, 235.54, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (243, 22, 248.91, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (244, 29, 262.28, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (245, 36, 275.65, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (246, 43, 289.02, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (247, 50, 302.39, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (248, 57, 315.76, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (249, 64, 329.13, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (250, 71, 342.50, 'paid', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (251, 78, 355.87, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (252, 85, 369.24, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (253, 92, 382.61, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (254, 99, 395.98, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (255, 106, 409.35, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (256, 113, 422.72, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (257, 120, 436.09, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (258, 7, 449.46, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (259, 14, 462.83, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (260, 21, 476.20, 'shipped', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (261, 28, 489.57, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (262, 35, 2.94, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (263, 42, 16.31, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (264, 49, 29.68, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (265, 56, 43.05, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (266, 63, 56.42, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (267, 70, 69.79, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (268, 77, 83.16, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (269, 84, 96.53, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (270, 91, 109.90, 'new', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (271, 98, 123.27, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (272, 105, 136.64, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (273, 112, 150.01, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (274, 119, 163.38, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (275, 6, 176.75, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (276, 13, 190.12, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (277, 20, 203.49, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (278, 27, 216.86, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (279, 34, 230.23, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (280, 41, 243.60, 'paid', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (281, 48, 256.97, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (282, 55, 270.34, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (283, 62, 283.71, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (284, 69, 297.08, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (285, 76, 310.45, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (286, 83, 323.82, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (287, 90, 337.19, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (288, 97, 350.56, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (289, 104, 363.93, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (290, 111, 377.30, 'shipped', 'line1
line2 \ backslash');
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (291, 118, 390.67, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (292, 5, 404.04, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (293, 12, 417.41, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (294, 19, 430.78, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (295, 26, 444.15, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (296, 33, 457.52, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (297, 40, 470.89, 'new', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (298, 47, 484.26, 'paid', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (299, 54, 497.63, 'shipped', NULL);
INSERT INTO public.orders (id, customer_id, total, status, note) VALUES (300, 61, 11.00, 'new', 'line1
line2 \ backslash');


--
-- Data for Name: pgbench_accounts; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (1, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (2, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (3, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (4, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (5, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (6, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (7, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (8, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (9, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (10, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (11, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (12, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (13, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (14, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (15, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (16, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (17, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (18, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (19, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (20, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (21, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (22, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (23, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (24, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (25, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (26, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (27, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (28, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (29, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (30, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (31, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (32, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (33, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (34, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (35, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (36, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (37, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (38, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (39, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (40, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (41, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (42, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (43, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (44, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (45, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (46, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (47, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (48, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (49, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (50, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (51, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (52, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (53, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (54, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (55, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (56, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (57, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (58, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (59, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (60, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (61, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (62, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (63, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (64, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (65, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (66, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (67, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (68, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (69, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (70, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (71, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (72, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (73, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (74, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (75, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (76, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (77, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (78, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (79, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (80, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (81, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (82, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (83, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (84, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (85, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (86, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (87, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (88, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (89, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (90, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (91, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (92, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (93, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (94, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (95, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (96, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (97, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (98, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (99, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (100, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (101, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (102, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (103, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (104, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (105, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (106, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (107, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (108, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (109, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (110, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (111, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (112, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (113, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (114, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (115, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (116, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (117, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (118, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (119, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (120, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (121, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (122, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (123, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (124, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (125, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (126, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (127, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (128, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (129, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (130, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (131, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (132, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (133, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (134, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (135, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (136, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (137, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (138, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (139, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (140, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (141, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (142, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (143, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (144, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (145, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (146, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (147, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (148, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (149, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (150, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (151, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (152, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (153, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (154, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (155, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (156, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (157, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (158, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (159, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (160, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (161, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (162, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (163, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (164, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (165, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (166, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (167, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (168, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (169, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (170, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (171, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (172, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (173, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (174, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (175, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (176, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (177, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (178, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (179, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (180, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (181, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (182, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (183, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (184, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (185, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (186, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (187, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (188, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (189, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (190, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (191, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (192, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (193, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (194, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (195, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (196, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (197, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (198, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (199, 1, 0, '                                                                                    ');
INSERT INTO public.pgbench_accounts (aid, bid, abalance, filler) VALUES (200, 1, 0, '                                                                                    ');


--
-- Data for Name: pgbench_branches; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.pgbench_branches (bid, bbalance, filler) VALUES (1, 0, NULL);


--
-- Data for Name: pgbench_history; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (2, 1, 4, -9, '2024-05-01 10:00:01', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (3, 1, 7, -8, '2024-05-01 10:00:02', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (4, 1, 10, -7, '2024-05-01 10:00:03', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (5, 1, 13, -6, '2024-05-01 10:00:04', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (6, 1, 16, -5, '2024-05-01 10:00:05', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (7, 1, 19, -4, '2024-05-01 10:00:06', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (8, 1, 22, -3, '2024-05-01 10:00:07', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (9, 1, 25, -2, '2024-05-01 10:00:08', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (10, 1, 28, -1, '2024-05-01 10:00:09', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (1, 1, 31, 0, '2024-05-01 10:00:10', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (2, 1, 34, 1, '2024-05-01 10:00:11', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (3, 1, 37, 2, '2024-05-01 10:00:12', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (4, 1, 40, 3, '2024-05-01 10:00:13', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (5, 1, 43, 4, '2024-05-01 10:00:14', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (6, 1, 46, 5, '2024-05-01 10:00:15', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (7, 1, 49, 6, '2024-05-01 10:00:16', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (8, 1, 52, 7, '2024-05-01 10:00:17', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (9, 1, 55, 8, '2024-05-01 10:00:18', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (10, 1, 58, 9, '2024-05-01 10:00:19', NULL);
INSERT INTO public.pgbench_history (tid, bid, aid, delta, mtime, filler) VALUES (1, 1, 61, 10, '2024-05-01 10:00:20', NULL);


--
-- Data for Name: pgbench_tellers; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.pgbench_tellers (tid, bid, tbalance, filler) VALUES (1, 1, 0, NULL);
INSERT INTO public.pgbench_tellers (tid, bid, tbalance, filler) VALUES (2, 1, 0, NULL);
INSERT INTO public.pgbench_tellers (tid, bid, tbalance, filler) VALUES (3, 1, 0, NULL);
INSERT INTO public.pgbench_tellers (tid, bid, tbalance, filler) VALUES (4, 1, 0, NULL);
INSERT INTO public.pgbench_tellers (tid, bid, tbalance, filler) VALUES (5, 1, 0, NULL);
INSERT INTO public.pgbench_tellers (tid, bid, tbalance, filler) VALUES (6, 1, 0, NULL);
INSERT INTO public.pgbench_tellers (tid, bid, tbalance, filler) VALUES (7, 1, 0, NULL);
INSERT INTO public.pgbench_tellers (tid, bid, tbalance, filler) VALUES (8, 1, 0, NULL);
INSERT INTO public.pgbench_tellers (tid, bid, tbalance, filler) VALUES (9, 1, 0, NULL);
INSERT INTO public.pgbench_tellers (tid, bid, tbalance, filler) VALUES (10, 1, 0, NULL);


--
-- Data for Name: tags; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.tags (id, label) VALUES (1, 'tag1');
INSERT INTO public.tags (id, label) VALUES (2, 'tag2');
INSERT INTO public.tags (id, label) VALUES (3, 'tag3');
INSERT INTO public.tags (id, label) VALUES (4, 'tag4');
INSERT INTO public.tags (id, label) VALUES (5, 'tag5');
INSERT INTO public.tags (id, label) VALUES (6, 'tag6');
INSERT INTO public.tags (id, label) VALUES (7, 'tag7');
INSERT INTO public.tags (id, label) VALUES (8, 'tag8');
INSERT INTO public.tags (id, label) VALUES (9, 'tag9');
INSERT INTO public.tags (id, label) VALUES (10, 'tag10');


--
-- Name: customers_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.customers_id_seq', 120, true);


--
-- Name: events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.events_id_seq', 50, true);


--
-- Name: orders_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.orders_id_seq', 300, true);


--
-- Name: tags_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.tags_id_seq', 10, true);


--
-- Name: items items_pkey; Type: CONSTRAINT; Schema: inventory; Owner: postgres
--

ALTER TABLE ONLY inventory.items
    ADD CONSTRAINT items_pkey PRIMARY KEY (sku);


--
-- Name: customers customers_ext_id_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_ext_id_key UNIQUE (ext_id);


--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);


--
-- Name: order_lines order_lines_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.order_lines
    ADD CONSTRAINT order_lines_pkey PRIMARY KEY (order_id, line_no);


--
-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id);


--
-- Name: pgbench_accounts pgbench_accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.pgbench_accounts
    ADD CONSTRAINT pgbench_accounts_pkey PRIMARY KEY (aid);


--
-- Name: pgbench_branches pgbench_branches_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.pgbench_branches
    ADD CONSTRAINT pgbench_branches_pkey PRIMARY KEY (bid);


--
-- Name: pgbench_tellers pgbench_tellers_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.pgbench_tellers
    ADD CONSTRAINT pgbench_tellers_pkey PRIMARY KEY (tid);


--
-- Name: tags tags_label_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT tags_label_key UNIQUE (label);


--
-- Name: tags tags_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.tags
    ADD CONSTRAINT tags_pkey PRIMARY KEY (id);


--
-- Name: customers_active_signup_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX customers_active_signup_idx ON public.customers USING btree (signup) WHERE active;


--
-- Name: customers_lower_email_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX customers_lower_email_idx ON public.customers USING btree (lower((email)::text));


--
-- Name: orders_customer_id_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id);


--
-- Name: order_lines order_lines_order_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.order_lines
    ADD CONSTRAINT order_lines_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.orders(id) ON DELETE CASCADE;


--
-- Name: orders orders_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE;


--
-- Name: pgbench_accounts pgbench_accounts_bid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.pgbench_accounts
    ADD CONSTRAINT pgbench_accounts_bid_fkey FOREIGN KEY (bid) REFERENCES public.pgbench_branches(bid);


--
-- Name: pgbench_history pgbench_history_aid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.pgbench_history
    ADD CONSTRAINT pgbench_history_aid_fkey FOREIGN KEY (aid) REFERENCES public.pgbench_accounts(aid);


--
-- Name: pgbench_history pgbench_history_bid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.pgbench_history
    ADD CONSTRAINT pgbench_history_bid_fkey FOREIGN KEY (bid) REFERENCES public.pgbench_branches(bid);


--
-- Name: pgbench_history pgbench_history_tid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.pgbench_history
    ADD CONSTRAINT pgbench_history_tid_fkey FOREIGN KEY (tid) REFERENCES public.pgbench_tellers(tid);


--
-- Name: pgbench_tellers pgbench_tellers_bid_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.pgbench_tellers
    ADD CONSTRAINT pgbench_tellers_bid_fkey FOREIGN KEY (bid) REFERENCES public.pgbench_branches(bid);


--
-- PostgreSQL database dump complete
--

\unrestrict Hv9e5wdgFpKQsS1NW0MyoeJ3gEHE2IRDmdEuKiyDthlYH3WXX57rEUlQn4PlGS5

