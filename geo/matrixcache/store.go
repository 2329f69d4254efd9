package matrixcache

import (
	"container/list"
	"context"
	"errors"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Store keeps encoded matrices by key, and short lists of the keys most
// recently stored under an index name, where a request for a set of points
// not seen before looks for a matrix that shares most of them.
type Store interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
	// Remember records key as the newest under index, keeping the newest
	// keep keys.
	Remember(ctx context.Context, index, key string, keep int) error
	// Recent returns up to n keys of index, newest first.
	Recent(ctx context.Context, index string, n int) ([]string, error)
}

// RedisStore keeps matrices in Redis: a string per matrix with a TTL, and a
// sorted set per index scored by the time of storing.
type RedisStore struct {
	c   redis.UniversalClient
	ttl time.Duration
}

// NewRedisStore returns a store on client c; index sets expire after ttl
// without use, like the matrices they list.
func NewRedisStore(c redis.UniversalClient, ttl time.Duration) *RedisStore {
	return &RedisStore{c: c, ttl: ttl}
}

func (s *RedisStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	b, err := s.c.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

func (s *RedisStore) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	return s.c.Set(ctx, key, val, ttl).Err()
}

func (s *RedisStore) Remember(ctx context.Context, index, key string, keep int) error {
	_, err := s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZAdd(ctx, index, redis.Z{Score: float64(time.Now().UnixMilli()), Member: key})
		p.ZRemRangeByRank(ctx, index, 0, int64(-keep-1))
		p.Expire(ctx, index, s.ttl)
		return nil
	})
	return err
}

func (s *RedisStore) Recent(ctx context.Context, index string, n int) ([]string, error) {
	return s.c.ZRevRange(ctx, index, 0, int64(n-1)).Result()
}

// MemoryStore keeps matrices in this process, the least recently used
// dropped first once their bytes pass a bound. It is the cache when no
// Redis is configured and the fallback while Redis is down.
type MemoryStore struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	lru      *list.List // of *memItem, most recent at the front
	items    map[string]*list.Element
	indexes  map[string][]string
	now      func() time.Time
}

type memItem struct {
	key     string
	val     []byte
	expires time.Time
}

// NewMemoryStore returns a store holding at most maxBytes of matrices.
func NewMemoryStore(maxBytes int) *MemoryStore {
	return &MemoryStore{maxBytes: maxBytes, lru: list.New(), items: map[string]*list.Element{}, indexes: map[string][]string{}, now: time.Now}
}

func (s *MemoryStore) Get(_ context.Context, key string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	el, ok := s.items[key]
	if !ok {
		return nil, false, nil
	}
	it := el.Value.(*memItem)
	if s.now().After(it.expires) {
		s.drop(el)
		return nil, false, nil
	}
	s.lru.MoveToFront(el)
	return it.val, true, nil
}

func (s *MemoryStore) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.items[key]; ok {
		s.drop(el)
	}
	if len(val) > s.maxBytes {
		return nil // larger than the whole cache: not kept
	}
	s.items[key] = s.lru.PushFront(&memItem{key: key, val: val, expires: s.now().Add(ttl)})
	s.bytes += len(val)
	for s.bytes > s.maxBytes {
		s.drop(s.lru.Back())
	}
	return nil
}

func (s *MemoryStore) drop(el *list.Element) {
	it := el.Value.(*memItem)
	s.lru.Remove(el)
	delete(s.items, it.key)
	s.bytes -= len(it.val)
}

func (s *MemoryStore) Remember(_ context.Context, index, key string, keep int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := s.indexes[index]
	out := append(make([]string, 0, keep), key)
	for _, k := range keys {
		if k != key && len(out) < keep {
			out = append(out, k)
		}
	}
	s.indexes[index] = out
	return nil
}

func (s *MemoryStore) Recent(_ context.Context, index string, n int) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := s.indexes[index]
	return append([]string(nil), keys[:min(n, len(keys))]...), nil
}
