package service

import "testing"

func BenchmarkBus_PublishToTwoSubscribers(b *testing.B) {
	var bus Bus
	for range 2 {
		s := bus.Subscribe()
		go func() {
			for range s.Events() {
			}
		}()
		defer s.Close()
	}
	ev := event(ProgressMade, 1)
	b.ResetTimer()
	for range b.N {
		bus.Publish(ev)
	}
}
