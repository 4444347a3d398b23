pub mod zipbomb;
